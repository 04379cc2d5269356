import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { reservations, services, slots, type CityBilling } from "#db/schema/index";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { getTenant, setTenantStatus } from "~/features/tenants/tenants.server";
import { getCityBilling } from "./state.server";
import { formatTokyo } from "~/lib/japan-time";

/**
 * Suspending a city for non-payment (ADR billing). Never automatic: a vendor does it, with a reason
 * and a confirmation, and only when
 *  - the city is active and its billing is past_due or unpaid,
 *  - its grace period (BILLING_GRACE_DAYS after the unpaid invoice's due date) is over, and
 *  - no booking opening is in progress (below): residents in the middle of booking a vaccination
 *    must not find the counter closed because of an invoice.
 * Both the suspension and the reinstatement are audited. Residents of a suspended city see the
 * polite 「現在ご利用いただけません」 page (residentClosure in app/tenants/resolve.server.ts).
 */

const DAY_MS = 86_400_000;

/**
 * A booking opening is in progress when either
 *  (a) an active service has an eligibility phase that opened in the last OPENING_RECENT_DAYS days or
 *      opens in the next OPENING_SOON_DAYS days (the rush of a phased opening), or
 *  (b) at least OPENING_MIN_BOOKINGS reservations were made in the last 24 hours for slots starting
 *      in the next OPENING_AHEAD_DAYS days (residents are booking now; a trickle below it is not a rush).
 */
export const OPENING_RULES = { recentDays: 7, soonDays: 3, aheadDays: 14, minBookings: 10 } as const;

export type OpeningState = { inProgress: boolean; phaseOpensAt: Date | null; recentBookings: number };

export async function bookingOpening(tx: Tx, tenantId: string, now = new Date()): Promise<OpeningState> {
  const active = await tx
    .select({ phases: services.phases })
    .from(services)
    .where(and(eq(services.tenantId, tenantId), eq(services.active, true)));
  const from = now.getTime() - OPENING_RULES.recentDays * DAY_MS;
  const to = now.getTime() + OPENING_RULES.soonDays * DAY_MS;
  let phaseOpensAt: Date | null = null;
  for (const s of active) {
    for (const p of s.phases) {
      const at = new Date(p.opensAt);
      if (
        !Number.isNaN(at.getTime()) &&
        at.getTime() >= from &&
        at.getTime() <= to &&
        (!phaseOpensAt || at > phaseOpensAt)
      )
        phaseOpensAt = at;
    }
  }
  const [{ n }] = (await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(reservations)
    .innerJoin(slots, and(eq(slots.tenantId, reservations.tenantId), eq(slots.id, reservations.slotId)))
    .where(
      and(
        eq(reservations.tenantId, tenantId),
        gte(reservations.createdAt, new Date(now.getTime() - DAY_MS)),
        gte(slots.startsAt, now),
        lt(slots.startsAt, new Date(now.getTime() + OPENING_RULES.aheadDays * DAY_MS)),
      ),
    )) as [{ n: number }];
  return { inProgress: phaseOpensAt !== null || n >= OPENING_RULES.minBookings, phaseOpensAt, recentBookings: n };
}

export type SuspensionCheck = {
  allowed: boolean;
  reasons: string[];
  billing: CityBilling | null;
  opening: OpeningState;
  tenantStatus: string;
};

async function check(tx: Tx, tenantId: string, now: Date): Promise<SuspensionCheck> {
  const tenant = await getTenant(tx, tenantId);
  const billing = await getCityBilling(tx, tenantId);
  const opening = await bookingOpening(tx, tenantId, now);
  const reasons: string[] = [];
  if (!tenant) reasons.push("自治体が見つかりません。");
  else if (tenant.status !== "active") reasons.push("利用中の自治体ではないため、停止できません。");
  if (!billing || (billing.status !== "past_due" && billing.status !== "unpaid"))
    reasons.push("支払いが滞っていないため、未払いによる停止はできません。");
  else if (!billing.graceUntil || billing.graceUntil > now)
    reasons.push(
      `猶予期間中です（${billing.graceUntil ? formatTokyo(billing.graceUntil, "yyyy年M月d日") : "—"}まで）。猶予期間が過ぎるまで停止できません。`,
    );
  if (opening.inProgress)
    reasons.push(
      "予約の受付が集中している期間（予約開始の前後、または直近24時間に予約が多数）のため、停止できません。受付が落ち着いてから操作してください。",
    );
  return { allowed: reasons.length === 0, reasons, billing, opening, tenantStatus: tenant?.status ?? "unknown" };
}

function inTenant<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!/^[0-9a-f-]{36}$/i.test(tenantId)) return Promise.reject(new Error("bad tenant id"));
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
    return fn(tx);
  });
}

export async function suspensionCheck(db: Db, tenantId: string, now = new Date()): Promise<SuspensionCheck> {
  return inTenant(db, tenantId, (tx) => check(tx, tenantId, now));
}

export type Actor = { vendorUserId: string; ip?: string | null };

/** Checks again and suspends in one transaction, so nothing changes between the check and the act. */
export async function suspendForNonPayment(
  db: Db,
  input: { tenantId: string; reason: string },
  actor: Actor,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; message: string }> {
  return inTenant(db, input.tenantId, async (tx) => {
    // Lock the city's billing row so a payment webhook in flight finishes first (or waits for us).
    await tx.execute(sql`select 1 from city_billing where tenant_id = ${input.tenantId} for update`);
    const c = await check(tx, input.tenantId, now);
    if (!c.allowed) return { ok: false as const, message: c.reasons.join(" ") };
    const result = await setTenantStatus(tx, input.tenantId, "suspended", actor);
    if (!result.ok) return { ok: false as const, message: result.message };
    await recordVendorAudit(tx, {
      vendorUserId: actor.vendorUserId,
      tenantId: input.tenantId,
      action: "billing.suspend",
      detail: {
        reason: input.reason,
        billingStatus: c.billing!.status,
        graceUntil: c.billing!.graceUntil?.toISOString() ?? null,
      },
      ip: actor.ip,
    });
    return { ok: true as const };
  });
}

/** Reinstates a suspended city (payment arrived, or an agreement was made). */
export async function reinstateCity(
  db: Db,
  input: { tenantId: string; note: string },
  actor: Actor,
): Promise<{ ok: true } | { ok: false; message: string }> {
  return db.transaction(async (tx) => {
    const result = await setTenantStatus(tx, input.tenantId, "active", actor);
    if (!result.ok) return { ok: false as const, message: result.message };
    await recordVendorAudit(tx, {
      vendorUserId: actor.vendorUserId,
      tenantId: input.tenantId,
      action: "billing.reinstate",
      detail: { note: input.note },
      ip: actor.ip,
    });
    return { ok: true as const };
  });
}
