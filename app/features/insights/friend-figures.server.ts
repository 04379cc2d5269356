import { sql } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { AGE_OPTIONS, GENDER_OPTIONS } from "~/features/line/survey-messages";
import type { InsightsContext } from "./context";
import { daysOf, type RawFigure } from "./figures";
import { periodRange, tokyoDay } from "./sql-time.server";

type Snapshot = {
  day: string;
  following: number;
  blocked: number;
  by_age_band: Record<string, number>;
  by_gender: Record<string, number>;
  by_area: Record<string, number>;
};

/** The daily snapshots of the period; over three months, the last of each month (a readable chart). */
async function snapshots(tx: Tx, ctx: InsightsContext): Promise<Snapshot[]> {
  const rows = await tx.execute<Snapshot>(sql`
    select to_char(day, 'YYYY-MM-DD') as day, following, blocked, by_age_band, by_gender, by_area
    from line_friend_snapshots
    where tenant_id = ${ctx.tenantId} and day between ${ctx.period.from} and ${ctx.period.to}
    order by day`);
  const all = [...rows];
  if (all.length <= 92) return all;
  return all.filter((s, i) => i === all.length - 1 || all[i + 1]!.day.slice(0, 7) !== s.day.slice(0, 7));
}

function breakdown(
  id: string,
  title: string,
  snaps: Snapshot[],
  pick: (s: Snapshot) => Record<string, number>,
  order: { value: string; label: string }[],
): RawFigure {
  const keys = [...order];
  for (const s of snaps) {
    for (const k of Object.keys(pick(s))) {
      if (!keys.some((o) => o.value === k)) keys.push({ value: k, label: k === "unknown" ? "未回答" : k });
    }
  }
  return {
    id,
    title,
    description: "友だち（ブロック中を除く）の回答別の人数。各日の集計時点の値です。",
    chart: "line",
    rowHeader: "集計日",
    table: {
      rows: snaps.map((s) => s.day),
      cols: keys.map((k) => ({ label: k.label, sum: true })),
      cells: snaps.map((s) => keys.map((k) => pick(s)[k.value] ?? 0)),
      rowTotals: true,
    },
  };
}

export async function friendFigures(tx: Tx, ctx: InsightsContext): Promise<RawFigure[]> {
  const snaps = await snapshots(tx, ctx);
  const { start, end } = periodRange(ctx.period);
  const events = await tx.execute<{ day: string; follows: number; blocks: number }>(sql`
    select day, sum(follows)::int as follows, sum(blocks)::int as blocks from (
      select ${tokyoDay(sql.raw("followed_at"))} as day, 1 as follows, 0 as blocks
        from line_friends where tenant_id = ${ctx.tenantId} and followed_at >= ${start} and followed_at < ${end}
      union all
      select ${tokyoDay(sql.raw("blocked_at"))}, 0, 1
        from line_friends where tenant_id = ${ctx.tenantId} and status = 'blocked'
          and blocked_at >= ${start} and blocked_at < ${end}
    ) e group by day`);
  const byDay = new Map([...events].map((e) => [e.day, e]));
  const days = daysOf(ctx.period);
  return [
    {
      id: "friends",
      title: "LINE友だち数の推移",
      description: "各日の集計時点の友だち数（フォロー中）とブロック中の人数。",
      chart: "line",
      rowHeader: "集計日",
      table: {
        rows: snaps.map((s) => s.day),
        cols: [{ label: "友だち" }, { label: "ブロック中" }],
        cells: snaps.map((s) => [s.following, s.blocked]),
      },
    },
    breakdown("friends-age", "年代別の友だち数", snaps, (s) => s.by_age_band, AGE_OPTIONS),
    breakdown("friends-gender", "性別の友だち数", snaps, (s) => s.by_gender, GENDER_OPTIONS),
    breakdown(
      "friends-area",
      "地区別の友だち数",
      snaps,
      (s) => s.by_area,
      ctx.areas.map((a) => ({ value: a, label: a })),
    ),
    {
      id: "follows",
      title: "友だち追加とブロック（日別）",
      description: "その日に友だち追加した人数と、その日にブロックした人数（現在もブロック中の人）。",
      chart: "bar",
      rowHeader: "日付",
      table: {
        rows: days,
        cols: [{ label: "友だち追加" }, { label: "ブロック" }],
        cells: days.map((d) => [byDay.get(d)?.follows ?? 0, byDay.get(d)?.blocks ?? 0]),
        colTotals: true,
      },
    },
  ];
}
