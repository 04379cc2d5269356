import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { env } from "~/lib/env.server";
import { masterKey } from "~/lib/crypto.server";
import { createInvitation, listPendingInvitations } from "./invitations.server";
import { listStaff } from "./staff.server";
import type { StaffRole } from "#db/schema/index";

/** The staff page of a city admin: members and pending invitations; viewing it is audited (e-mail addresses are personal data). */
export async function staffOverview(db: Db, tenantId: string, viewer: { staffUserId: string; ip?: string | null }) {
  const members = await withTenant(db, tenantId, async (tx) => {
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: viewer.staffUserId,
      action: "staff.list.view",
      ip: viewer.ip,
    });
    return listStaff(tx, tenantId);
  });
  const pending = await listPendingInvitations(db, tenantId);
  return { members, pending };
}

export function inviteStaff(
  db: Db,
  input: {
    tenantId: string;
    email: string;
    role: StaffRole;
    invitedBy: { kind: "staff" | "vendor"; id: string };
    ip?: string | null;
  },
) {
  return createInvitation(db, masterKey(env().MADOGUCHI_MASTER_KEY), input);
}
