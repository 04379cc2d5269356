import { sql } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { CHANNEL_LABELS } from "~/lib/booking-labels";
import { canSeePersonalLists, type InsightsContext } from "./context";
import { daysOf, type RawFigure } from "./figures";
import { periodRange, tokyoDay } from "./sql-time.server";

const CHANNELS = ["line", "web", "phone"] as const;
const channelCols = CHANNELS.map((c) => ({ label: CHANNEL_LABELS[c], sum: true }));

/** Bookings made in the period (by when they were made), by channel: per day and per service. */
async function bookingFigures(tx: Tx, ctx: InsightsContext): Promise<RawFigure[]> {
  const { start, end } = periodRange(ctx.period);
  const rows = await tx.execute<{ day: string; service: string; channel: string; n: number; proxy: number }>(sql`
    select ${tokyoDay(sql.raw("r.created_at"))} as day, s.name as service, r.channel::text as channel,
           count(*)::int as n, count(*) filter (where r.proxy_note <> '')::int as proxy
    from reservations r join services s on s.tenant_id = r.tenant_id and s.id = r.service_id
    where r.tenant_id = ${ctx.tenantId} and r.created_at >= ${start} and r.created_at < ${end}
    group by 1, 2, 3`);
  const days = daysOf(ctx.period);
  const perDay = new Map(days.map((d) => [d, [0, 0, 0, 0]]));
  const perService = new Map<string, number[]>();
  for (const r of rows) {
    const j = CHANNELS.indexOf(r.channel as (typeof CHANNELS)[number]);
    const d = perDay.get(r.day);
    if (d) {
      d[j]! += r.n;
      d[3]! += r.proxy;
    }
    const s = perService.get(r.service) ?? [0, 0, 0];
    s[j]! += r.n;
    perService.set(r.service, s);
  }
  const services = [...perService.keys()].sort((a, b) => a.localeCompare(b, "ja"));
  const link = canSeePersonalLists(ctx.role)
    ? { href: `/c/${ctx.citySlug}/admin/venue-day`, label: "当日の予約一覧" }
    : undefined;
  return [
    {
      id: "bookings-channel",
      title: "予約数（受付経路別・日別）",
      description:
        "その日に受け付けた予約の件数（後で取り消されたものを含む）。代理は電話で職員が代理人から受けた予約。",
      chart: "bar",
      rowHeader: "受付日",
      table: {
        rows: days,
        cols: [...channelCols, { label: "うち代理" }],
        cells: days.map((d) => perDay.get(d)!),
        rowTotals: true,
        colTotals: true,
      },
      link,
    },
    {
      id: "bookings-service",
      title: "予約数（サービス別・受付経路別）",
      description: "期間中に受け付けた予約の件数。",
      chart: "bar",
      rowHeader: "サービス",
      table: {
        rows: services,
        cols: channelCols,
        cells: services.map((s) => perService.get(s)!),
        rowTotals: true,
        colTotals: true,
      },
      link,
    },
  ];
}

/** Seats taken per venue and day of the slot, web/LINE and phone quotas apart. */
async function fillFigure(tx: Tx, ctx: InsightsContext): Promise<RawFigure> {
  const { start, end } = periodRange(ctx.period);
  const rows = await tx.execute<{
    venue: string;
    day: string;
    web_booked: number;
    web_capacity: number;
    phone_booked: number;
    phone_capacity: number;
  }>(sql`
    select v.name as venue, ${tokyoDay(sql.raw("sl.starts_at"))} as day,
           sum(sl.web_booked)::int as web_booked, sum(sl.web_capacity)::int as web_capacity,
           sum(sl.phone_booked)::int as phone_booked, sum(sl.phone_capacity)::int as phone_capacity
    from slots sl join venues v on v.tenant_id = sl.tenant_id and v.id = sl.venue_id
    where sl.tenant_id = ${ctx.tenantId} and sl.starts_at >= ${start} and sl.starts_at < ${end}
    group by 1, 2 order by 2, 1`);
  return {
    id: "fill",
    title: "予約枠の充足率（会場・日別）",
    description: "予約枠に対する予約済みの割合。ウェブ・LINE枠と電話枠は別々に数えます。",
    chart: "bar",
    plot: "rates",
    rowHeader: "会場・日付",
    table: {
      rows: rows.map((r) => `${r.venue} ${r.day}`),
      cols: [
        { label: "ウェブ・LINE予約" },
        { label: "ウェブ・LINE枠", capacity: true },
        { label: "電話予約" },
        { label: "電話枠", capacity: true },
      ],
      cells: rows.map((r) => [r.web_booked, r.web_capacity, r.phone_booked, r.phone_capacity]),
      rates: [
        { label: "ウェブ・LINE充足率", num: 0, den: 1 },
        { label: "電話充足率", num: 2, den: 3 },
      ],
    },
    link: canSeePersonalLists(ctx.role) ? { href: `/c/${ctx.citySlug}/admin/slots`, label: "予約枠" } : undefined,
  };
}

/** Attendance of the period's appointments (by the slot's day), per service. */
async function attendanceFigure(tx: Tx, ctx: InsightsContext): Promise<RawFigure> {
  const { start, end } = periodRange(ctx.period);
  const rows = await tx.execute<{ service: string; attended: number; no_show: number }>(sql`
    select s.name as service,
           count(*) filter (where r.status = 'attended')::int as attended,
           count(*) filter (where r.status = 'no_show')::int as no_show
    from slots sl
      -- Per slot through (tenant_id, slot_id): the period's slots are few, reservations are many
      -- (offset 0 keeps the planner from turning this back into a scan of every reservation).
      cross join lateral (select status, service_id from reservations r
                          where r.tenant_id = sl.tenant_id and r.slot_id = sl.id
                            and r.status in ('attended', 'no_show') offset 0) r
      join services s on s.tenant_id = sl.tenant_id and s.id = r.service_id
    where sl.tenant_id = ${ctx.tenantId} and sl.starts_at >= ${start} and sl.starts_at < ${end}
    group by 1 order by 1`);
  return {
    id: "attendance",
    title: "来場と来場なし（サービス別）",
    description: "期間中の予約日のうち、受付で来場・不来場を記録した予約の件数。",
    chart: "bar",
    rowHeader: "サービス",
    table: {
      rows: rows.map((r) => r.service),
      cols: [
        { label: "来場", sum: true },
        { label: "来場なし", sum: true },
      ],
      cells: rows.map((r) => [r.attended, r.no_show]),
      rowTotals: true,
      colTotals: true,
      rates: [{ label: "来場なし率", num: 1, den: "total" }],
    },
    link: canSeePersonalLists(ctx.role)
      ? { href: `/c/${ctx.citySlug}/admin/venue-day`, label: "当日の予約一覧" }
      : undefined,
  };
}

export const AGE_BANDS = ["19歳以下", "20代", "30代", "40代", "50代", "60代", "70代", "80代", "90歳以上"];

/**
 * Completion by age band: people whose first dose was given in the period, and how many of them have
 * now received every dose of the service. Age on the service's reference date, like eligibility.
 */
async function completionFigure(tx: Tx, ctx: InsightsContext): Promise<RawFigure> {
  const { start, end } = periodRange(ctx.period);
  const rows = await tx.execute<{ band: number; started: number; completed: number }>(sql`
    with first as (
      select r.ticket_holder_id, r.service_id, s.doses,
             least(greatest(date_part('year', age(s.age_reference_date, th.birth_date))::int / 10, 1), 9) as band
      from slots sl
        cross join lateral (select ticket_holder_id, service_id from reservations r
                            where r.tenant_id = sl.tenant_id and r.slot_id = sl.id
                              and r.dose = 1 and r.status = 'attended' offset 0) r
        join services s on s.tenant_id = sl.tenant_id and s.id = r.service_id
        join ticket_holders th on th.tenant_id = sl.tenant_id and th.id = r.ticket_holder_id
      where sl.tenant_id = ${ctx.tenantId} and sl.starts_at >= ${start} and sl.starts_at < ${end}
    )
    select f.band, count(*)::int as started,
      count(*) filter (where exists (
        -- The last dose attended: doses are taken in order (booking rules), so this is "all done".
        select 1 from reservations r2
        where r2.tenant_id = ${ctx.tenantId} and r2.ticket_holder_id = f.ticket_holder_id
          and r2.service_id = f.service_id and r2.status = 'attended' and r2.dose = f.doses
      ))::int as completed
    from first f group by 1 order by 1`);
  const by = new Map([...rows].map((r) => [r.band, r]));
  return {
    id: "completion",
    title: "接種完了率（年代別）",
    description: "期間中に1回目を受けた人のうち、そのサービスの全回を受け終えた人の割合。年齢はサービスの基準日時点。",
    chart: "bar",
    plot: "rates",
    rowHeader: "年代",
    table: {
      rows: AGE_BANDS,
      cols: [{ label: "1回目を受けた人" }, { label: "全回完了" }],
      cells: AGE_BANDS.map((_, i) => [by.get(i + 1)?.started ?? 0, by.get(i + 1)?.completed ?? 0]),
      colTotals: true,
      rates: [{ label: "完了率", num: 1, den: 0, complement: true }],
    },
  };
}

/** Cancellations (by when they happened) and staff-made changes of appointment per day. */
async function cancellationFigure(tx: Tx, ctx: InsightsContext): Promise<RawFigure> {
  const { start, end } = periodRange(ctx.period);
  const rows = await tx.execute<{ day: string; cancels: number; changes: number }>(sql`
    select day, sum(c)::int as cancels, sum(ch)::int as changes from (
      select ${tokyoDay(sql.raw("cancelled_at"))} as day, 1 as c, 0 as ch from reservations
        where tenant_id = ${ctx.tenantId} and status = 'cancelled' and cancelled_at >= ${start} and cancelled_at < ${end}
      union all
      select ${tokyoDay(sql.raw("created_at"))}, 0, 1 from audit_log
        where tenant_id = ${ctx.tenantId} and action = 'reservation.change' and created_at >= ${start} and created_at < ${end}
    ) e group by day`);
  const by = new Map([...rows].map((r) => [r.day, r]));
  const days = daysOf(ctx.period);
  return {
    id: "cancellations",
    title: "取消と変更（日別）",
    description: "その日に取り消された予約と、職員が日時を変更した予約の件数。",
    chart: "bar",
    rowHeader: "日付",
    table: {
      rows: days,
      cols: [{ label: "取消" }, { label: "変更（職員）" }],
      cells: days.map((d) => [by.get(d)?.cancels ?? 0, by.get(d)?.changes ?? 0]),
      colTotals: true,
    },
  };
}

export async function reservationFigures(tx: Tx, ctx: InsightsContext): Promise<RawFigure[]> {
  return [
    ...(await bookingFigures(tx, ctx)),
    await fillFigure(tx, ctx),
    await attendanceFigure(tx, ctx),
    await completionFigure(tx, ctx),
    await cancellationFigure(tx, ctx),
  ];
}
