import { createHash } from "node:crypto";
import { and, between, eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { services, slots, venues } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import type { StaffActor } from "~/features/services/services.server";
import type { FieldErrors } from "~/lib/forms";
import { tokyoDateOf } from "~/lib/japan-time";
import { MAX_PATTERN_SLOTS } from "./limits";
import { expandPattern, type PlannedSlot, type SkippedHoliday } from "./pattern";
import type { GenerateInput } from "./slots.schemas";

export type GenerationPreview = {
  /** Slots the pattern describes (holidays and already-past times left out). */
  total: number;
  /** Of those, how many exist already and will not be created again. */
  existing: number;
  fresh: number;
  skippedHolidays: SkippedHoliday[];
  first: string | null;
  last: string | null;
  /** Fingerprint of the exact pattern previewed: creating requires the same one. */
  key: string;
};

export type PreviewResult = { ok: true; preview: GenerationPreview } | { ok: false; errors: FieldErrors };
export type GenerateResult =
  | { ok: true; created: number; existing: number }
  | { ok: false; errors: FieldErrors }
  | { ok: false; stale: GenerationPreview };

const CHUNK = 1000; // 8 parameters a row: well under Postgres's 65,535 bind parameters

function fingerprint(input: GenerateInput) {
  const { previewKey: _ignored, ...rest } = input;
  return createHash("sha256").update(JSON.stringify(rest)).digest("hex").slice(0, 16);
}

async function plan(
  tx: Tx,
  tenantId: string,
  input: GenerateInput,
  now: Date,
): Promise<{ errors: FieldErrors } | { planned: PlannedSlot[]; preview: GenerationPreview }> {
  const errors: FieldErrors = {};
  const [venue] = await tx
    .select({ id: venues.id })
    .from(venues)
    .where(and(eq(venues.tenantId, tenantId), eq(venues.id, input.venueId)));
  const [service] = await tx
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.tenantId, tenantId), eq(services.id, input.serviceId)));
  if (!venue) errors.venueId = "会場が見つかりません。選び直してください。";
  if (!service) errors.serviceId = "サービスが見つかりません。選び直してください。";
  if (input.pattern.dateFrom < tokyoDateOf(now)) errors.dateFrom = "開始日は今日以降の日付にしてください。";
  if (Object.keys(errors).length) return { errors };

  const expanded = expandPattern(input.pattern);
  // Today's hours that have already passed cannot be booked; creating them would only clutter the list.
  const planned = expanded.slots.filter((s) => s.startsAt > now);
  if (planned.length === 0)
    return { errors: { _form: "この条件では作成される枠がありません。期間・曜日・受付時間を確認してください。" } };
  if (planned.length > MAX_PATTERN_SLOTS) {
    return {
      errors: {
        _form: `一度に作成できるのは${MAX_PATTERN_SLOTS.toLocaleString("ja-JP")}枠までです（この条件では${planned.length.toLocaleString("ja-JP")}枠）。期間を分けてください。`,
      },
    };
  }
  const first = planned[0]!.startsAt;
  const last = planned[planned.length - 1]!.startsAt;
  const taken = await tx
    .select({ startsAt: slots.startsAt })
    .from(slots)
    .where(
      and(
        eq(slots.tenantId, tenantId),
        eq(slots.venueId, input.venueId),
        eq(slots.serviceId, input.serviceId),
        between(slots.startsAt, first, last),
      ),
    );
  const takenAt = new Set(taken.map((t) => t.startsAt.getTime()));
  const existing = planned.filter((s) => takenAt.has(s.startsAt.getTime())).length;
  return {
    planned,
    preview: {
      total: planned.length,
      existing,
      fresh: planned.length - existing,
      skippedHolidays: expanded.skippedHolidays,
      first: first.toISOString(),
      last: last.toISOString(),
      key: fingerprint(input),
    },
  };
}

/** How many slots the pattern would create, before anything is written. */
export async function previewGeneration(
  db: Db,
  tenantId: string,
  input: GenerateInput,
  now = new Date(),
): Promise<PreviewResult> {
  return withTenant(db, tenantId, async (tx) => {
    const r = await plan(tx, tenantId, input, now);
    return "errors" in r ? { ok: false as const, errors: r.errors } : { ok: true as const, preview: r.preview };
  });
}

/**
 * Creates the previewed slots in one transaction. Idempotent: the unique index on
 * (tenant, venue, service, start) with ON CONFLICT DO NOTHING means re-running a pattern — or two
 * staff pressing the button at once — adds only what is missing, and we report how many were new.
 * Existing slots keep their capacities and bookings untouched.
 */
export async function generateSlots(
  db: Db,
  tenantId: string,
  input: GenerateInput,
  actor: StaffActor,
  now = new Date(),
): Promise<GenerateResult> {
  return withTenant(db, tenantId, async (tx) => {
    const r = await plan(tx, tenantId, input, now);
    if ("errors" in r) return { ok: false as const, errors: r.errors };
    if (input.previewKey !== r.preview.key) return { ok: false as const, stale: r.preview };
    let created = 0;
    for (let i = 0; i < r.planned.length; i += CHUNK) {
      const rows = r.planned.slice(i, i + CHUNK).map((s) => ({
        tenantId,
        venueId: input.venueId,
        serviceId: input.serviceId,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        webCapacity: input.webCapacity,
        phoneCapacity: input.phoneCapacity,
      }));
      const inserted = await tx
        .insert(slots)
        .values(rows)
        .onConflictDoNothing({ target: [slots.tenantId, slots.venueId, slots.serviceId, slots.startsAt] })
        .returning({ id: slots.id });
      created += inserted.length;
    }
    const { pattern } = input;
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "slot.generate",
      targetType: "venue",
      targetId: input.venueId,
      detail: {
        serviceId: input.serviceId,
        ...pattern,
        webCapacity: input.webCapacity,
        phoneCapacity: input.phoneCapacity,
        planned: r.planned.length,
        created,
      },
      ip: actor.ip,
    });
    return { ok: true as const, created, existing: r.planned.length - created };
  });
}
