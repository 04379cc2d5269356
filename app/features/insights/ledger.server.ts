import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { CHANNEL_LABELS, doseLabel, STATUS_LABELS } from "~/lib/booking-labels";
import { formatDateTimeJa } from "~/lib/japan-time";
import type { BookingChannel } from "#db/schema/index";
import type { Period } from "./figures";
import { periodRange } from "./sql-time.server";

/**
 * The reservation ledger (予約台帳) for the period, by appointment time: personal data, so admins only
 * and the export is written to the audit log in the same transaction, before any row is read.
 */
export async function reservationLedger(
  db: Db,
  input: { tenantId: string; staffUserId: string; ip: string | null; period: Period },
): Promise<string[][]> {
  const { start, end } = periodRange(input.period);
  return withTenant(db, input.tenantId, async (tx) => {
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "staff",
      actorId: input.staffUserId,
      action: "ledger.export",
      targetType: "reservations",
      detail: { from: input.period.from, to: input.period.to },
      ip: input.ip,
    });
    const rows = await tx.execute<{
      code: string;
      service: string;
      dose: number;
      venue: string;
      starts_at: string;
      channel: BookingChannel;
      status: keyof typeof STATUS_LABELS;
      name: string;
      phone: string;
      proxy: string | null;
      created_at: string;
    }>(sql`
      select r.confirmation_code as code, s.name as service, r.dose, v.name as venue, sl.starts_at,
             r.channel, r.status, r.contact_name as name, r.contact_phone as phone, r.proxy_note as proxy, r.created_at
      from reservations r
        join slots sl on sl.tenant_id = r.tenant_id and sl.id = r.slot_id
        join services s on s.tenant_id = r.tenant_id and s.id = r.service_id
        join venues v on v.tenant_id = sl.tenant_id and v.id = sl.venue_id
      where r.tenant_id = ${input.tenantId} and sl.starts_at >= ${start} and sl.starts_at < ${end}
      order by sl.starts_at, v.name, r.confirmation_code`);
    return [
      ["予約番号", "サービス", "回", "会場", "日時", "受付経路", "状態", "氏名", "電話番号", "代理", "受付日時"],
      ...[...rows].map((r) => [
        r.code,
        r.service,
        doseLabel(r.dose),
        r.venue,
        formatDateTimeJa(new Date(r.starts_at)),
        CHANNEL_LABELS[r.channel],
        STATUS_LABELS[r.status],
        r.name,
        r.phone,
        r.proxy ?? "",
        formatDateTimeJa(new Date(r.created_at)),
      ]),
    ];
  });
}
