import { z } from "zod";
import { ROLES } from "./staff.schemas";

/** The staff page's management forms (one `intent` each); the invitation form keeps its own schema. */
export const changeRoleSchema = z.object({
  membershipId: z.string().min(1),
  role: z.enum(ROLES, { error: "権限を選択してください。" }),
});
export const removeMemberSchema = z.object({
  membershipId: z.string().min(1),
  // Without it the page first asks 「本当に外しますか」 (a second, explicit click; works without JavaScript).
  confirmed: z.literal("1").optional(),
});
export const revokeInvitationSchema = z.object({ invitationId: z.string().min(1) });
