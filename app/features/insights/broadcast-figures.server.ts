import { sql } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { formatDateTimeJa } from "~/lib/japan-time";
import type { InsightsContext } from "./context";
import type { RawFigure } from "./figures";
import { periodRange } from "./sql-time.server";

/**
 * Each broadcast run started in the period: how many it was for, how many LINE accepted, and how many
 * of those recipients blocked the account within 24 hours of the start.
 */
export async function broadcastFigures(tx: Tx, ctx: InsightsContext): Promise<RawFigure[]> {
  const { start, end } = periodRange(ctx.period);
  const rows = await tx.execute<{
    id: string;
    title: string;
    started_at: string;
    total: number;
    sent: number;
    blocks: number;
  }>(sql`
    select b.id, b.title, run.started_at, run.total_recipients as total, run.sent_recipients as sent,
      (select count(*)::int from line_friends f
        where f.tenant_id = run.tenant_id and f.status = 'blocked'
          and f.blocked_at >= run.started_at and f.blocked_at < run.started_at + interval '24 hours'
          and exists (select 1 from broadcast_chunks c
                      where c.tenant_id = run.tenant_id and c.run_id = run.id and f.line_user_id = any(c.user_ids))
      ) as blocks
    from broadcast_runs run join broadcasts b on b.tenant_id = run.tenant_id and b.id = run.broadcast_id
    where run.tenant_id = ${ctx.tenantId} and run.started_at >= ${start} and run.started_at < ${end}
    order by run.started_at`);
  return [
    {
      id: "broadcasts",
      title: "配信の到達とブロック（配信後24時間）",
      description: "期間中に始まった配信ごとの対象人数、送信できた人数、配信後24時間以内にブロックした受信者の人数。",
      chart: "bar",
      plot: "rates",
      rowHeader: "配信",
      table: {
        rows: rows.map((r) => `${r.title}（${formatDateTimeJa(new Date(r.started_at))}）`),
        cols: [{ label: "対象" }, { label: "送信済み" }, { label: "24時間以内のブロック" }],
        cells: rows.map((r) => [r.total, r.sent, r.blocks]),
        rates: [
          { label: "到達率", num: 1, den: 0 },
          { label: "ブロック率", num: 2, den: 1 },
        ],
      },
      link: ctx.role === "admin" ? { href: `/c/${ctx.citySlug}/admin/broadcasts`, label: "配信" } : undefined,
    },
  ];
}
