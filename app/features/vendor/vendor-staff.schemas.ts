import { z } from "zod";
import { acceptInvitationSchema, emailSchema } from "~/features/staff/staff.schemas";

/**
 * Inviting vendor staff: the address and the name as the inviter knows it (the invitee may correct
 * it when joining). The rules are the city invitation's and the city join's, not copies.
 */
export const vendorInviteSchema = z.object({
  email: emailSchema,
  displayName: acceptInvitationSchema.shape.displayName,
});

/** Joining from a vendor invitation: the same name and password rules as the city join. */
export const acceptVendorInvitationSchema = acceptInvitationSchema;
