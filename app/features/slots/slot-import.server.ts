import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { services, slots, venues } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import type { StaffActor } from "~/features/services/services.server";
import type { FieldErrors } from "~/lib/forms";
import { decodeCsvBytes } from "~/lib/csv.server";
import { parseSlotCsv, type CsvProblem, type CsvSlotRow } from "./csv";
import { MAX_CSV_BYTES } from "./limits";

export type ImportResult =
  | { ok: true; rows: number; created: number; existing: number; encoding: "utf-8" | "shift_jis" }
  | { ok: false; errors: FieldErrors }
  | { ok: false; problems: CsvProblem[] };

/** Thrown inside the transaction to roll everything back when any row cannot be resolved. */
class ImportRefused extends Error {
  constructor(readonly problems: CsvProblem[]) {
    super("import refused");
  }
}

const normaliseName = (name: string) => name.normalize("NFKC").trim().replace(/\s+/g, " ");

/**
 * Imports a slot CSV for one service, all or nothing: every row is checked first (format and
 * venue), and if any row is wrong nothing at all is written and every problem is reported with its
 * line number. Rows for slots that already exist are skipped (the same unique index as generation),
 * so uploading the same file twice is harmless.
 */
export async function importSlotsCsv(
  db: Db,
  tenantId: string,
  input: { serviceId: string; filename: string; bytes: Uint8Array },
  actor: StaffActor,
  now = new Date(),
): Promise<ImportResult> {
  if (input.bytes.length === 0) return { ok: false, errors: { file: "CSVファイルを選んでください。" } };
  if (input.bytes.length > MAX_CSV_BYTES)
    return { ok: false, errors: { file: "ファイルが大きすぎます（2MBまで）。ファイルを分けてください。" } };
  const { text, encoding } = decodeCsvBytes(input.bytes);
  const parsed = parseSlotCsv(text, now);
  // A file whose header or shape is wrong has no rows to look at; otherwise venue problems are
  // reported together with format problems, so staff fix the file once rather than twice.
  if (parsed.rows.length === 0) return { ok: false, problems: parsed.problems };

  try {
    return await withTenant(db, tenantId, async (tx) => {
      const [service] = await tx
        .select({ id: services.id })
        .from(services)
        .where(and(eq(services.tenantId, tenantId), eq(services.id, input.serviceId)));
      if (!service)
        return { ok: false as const, errors: { serviceId: "サービスが見つかりません。選び直してください。" } };

      const all = await tx
        .select({ id: venues.id, name: venues.name })
        .from(venues)
        .where(eq(venues.tenantId, tenantId));
      const ids = new Set(all.map((v) => v.id));
      const byName = new Map<string, string[]>();
      for (const v of all) byName.set(normaliseName(v.name), [...(byName.get(normaliseName(v.name)) ?? []), v.id]);

      const problems: CsvProblem[] = [...parsed.problems];
      const seen = new Map<string, number>();
      const resolved: (CsvSlotRow & { venueId: string })[] = [];
      for (const row of parsed.rows) {
        let venueId: string | null = null;
        if (row.venue.kind === "id") {
          if (ids.has(row.venue.id)) venueId = row.venue.id;
          else problems.push({ line: row.line, message: `会場ID「${row.venue.id}」の会場はこの自治体にありません。` });
        } else {
          const matches = byName.get(normaliseName(row.venue.name)) ?? [];
          if (matches.length === 1) venueId = matches[0]!;
          else if (matches.length === 0)
            problems.push({
              line: row.line,
              message: `会場「${row.venue.name}」が見つかりません。会場の管理に登録した名前と同じにしてください。`,
            });
          else
            problems.push({
              line: row.line,
              message: `「${row.venue.name}」という会場が複数あります。会場IDの列で指定してください。`,
            });
        }
        if (!venueId) continue;
        const key = `${venueId}|${row.startsAt.getTime()}`;
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          problems.push({ line: row.line, message: `${earlier}行目と同じ会場・日付・開始時刻です。` });
          continue;
        }
        seen.set(key, row.line);
        resolved.push({ ...row, venueId });
      }
      if (problems.length) throw new ImportRefused(problems);

      let created = 0;
      for (let i = 0; i < resolved.length; i += 1000) {
        const values = resolved.slice(i, i + 1000).map((r) => ({
          tenantId,
          venueId: r.venueId,
          serviceId: input.serviceId,
          startsAt: r.startsAt,
          endsAt: r.endsAt,
          webCapacity: r.webCapacity,
          phoneCapacity: r.phoneCapacity,
        }));
        const inserted = await tx
          .insert(slots)
          .values(values)
          .onConflictDoNothing({ target: [slots.tenantId, slots.venueId, slots.serviceId, slots.startsAt] })
          .returning({ id: slots.id });
        created += inserted.length;
      }
      await recordAudit(tx, {
        tenantId,
        actorKind: "staff",
        actorId: actor.staffUserId,
        action: "slot.import",
        targetType: "service",
        targetId: input.serviceId,
        detail: { filename: input.filename.slice(0, 200), encoding, rows: resolved.length, created },
        ip: actor.ip,
      });
      return { ok: true as const, rows: resolved.length, created, existing: resolved.length - created, encoding };
    });
  } catch (e) {
    if (e instanceof ImportRefused) return { ok: false, problems: e.problems.sort((a, b) => a.line - b.line) };
    throw e;
  }
}
