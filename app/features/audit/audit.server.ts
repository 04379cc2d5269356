import type { DbOrTx } from "#db/client.server";
import { auditLog, vendorAuditLog, type ActorKind } from "#db/schema/index";

/** A city's audit trail. Call it inside the same withTenant transaction as the action it records. */
export async function recordAudit(
  tx: DbOrTx,
  entry: {
    tenantId: string;
    actorKind: ActorKind;
    actorId?: string | null;
    action: string;
    targetType?: string;
    targetId?: string;
    detail?: Record<string, unknown>;
    ip?: string | null;
  },
) {
  await tx.insert(auditLog).values({ ...entry, ip: normaliseIp(entry.ip) });
}

export async function recordVendorAudit(
  db: DbOrTx,
  entry: {
    vendorUserId?: string | null;
    tenantId?: string | null;
    action: string;
    detail?: Record<string, unknown>;
    ip?: string | null;
  },
) {
  await db.insert(vendorAuditLog).values({ ...entry, ip: normaliseIp(entry.ip) });
}

// The column is inet: keep only values Postgres accepts, never fail an action over a log field.
function normaliseIp(ip: string | null | undefined) {
  if (!ip) return null;
  return /^[0-9a-f:.]+$/i.test(ip) ? ip : null;
}
