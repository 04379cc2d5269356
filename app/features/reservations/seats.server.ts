import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import type { Pipe } from "#db/pipeline.server";
import { slots } from "#db/schema/index";

export type Quota = "web" | "phone";

/**
 * The capacity rule, written once (ADR 036): a seat of a slot's quota is free while the slot is open
 * and that quota's booked count is below its capacity. It is read in two places, both from here:
 *  - hasFreeSeat, on facts already read: a full slot answers "full" without a write (the rush's
 *    common case, and no row lock is ever waited on for it);
 *  - the conditional UPDATE, which decides every race. One statement text, rendered by whichever
 *    driver runs it: postgres.js in the pipelined booking, drizzle in "change".
 */
const COLUMNS = {
  web: { booked: "web_booked", capacity: "web_capacity" },
  phone: { booked: "phone_booked", capacity: "phone_capacity" },
} as const;

type SeatCounts = {
  status: string;
  webBooked: number;
  webCapacity: number;
  phoneBooked: number;
  phoneCapacity: number;
};

export function hasFreeSeat(slot: SeatCounts, quota: Quota): boolean {
  if (slot.status !== "open") return false;
  return quota === "phone" ? slot.phoneBooked < slot.phoneCapacity : slot.webBooked < slot.webCapacity;
}

// A tagged template of either driver, and how that driver quotes a column name.
type Tag<Q> = (strings: TemplateStringsArray, ...values: never[]) => Q;

function takeSeatStatement<Q>(
  tag: Tag<Q>,
  column: (name: string) => unknown,
  quota: Quota,
  tenantId: string,
  slotId: string,
) {
  const booked = column(COLUMNS[quota].booked);
  const capacity = column(COLUMNS[quota].capacity);
  const t = tag as (strings: TemplateStringsArray, ...values: unknown[]) => Q;
  return t`update slots set ${booked} = ${booked} + 1
            where tenant_id = ${tenantId} and id = ${slotId} and status = 'open' and ${booked} < ${capacity}
        returning id`;
}

/** The seat UPDATE as a postgres.js fragment (the booking transaction embeds it in one statement). */
export function takeSeatFragment(c: Pipe, quota: Quota, tenantId: string, slotId: string) {
  return takeSeatStatement(c, (name) => c(name), quota, tenantId, slotId);
}

/** Takes one seat of the slot's quota inside a drizzle transaction; false when it is full (or closed). */
export async function takeSeat(tx: Tx, tenantId: string, slotId: string, quota: Quota) {
  const rows = await tx.execute(takeSeatStatement(sql, (name) => sql.identifier(name), quota, tenantId, slotId));
  return rows.length > 0;
}

export async function releaseSeat(tx: Tx, tenantId: string, slotId: string, quota: Quota) {
  await tx
    .update(slots)
    .set(
      quota === "phone" ? { phoneBooked: sql`${slots.phoneBooked} - 1` } : { webBooked: sql`${slots.webBooked} - 1` },
    )
    .where(and(eq(slots.tenantId, tenantId), eq(slots.id, slotId)));
}
