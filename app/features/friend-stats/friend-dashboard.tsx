import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import type { FriendDashboard } from "./friend-stats.server";

const fmt = (n: number) => n.toLocaleString("ja-JP");

/** A bar as inline SVG, with the number beside it as text (the bar is decoration only). */
function Bar({ value, max }: { value: number; max: number }) {
  const width = max > 0 ? Math.round((value / max) * 160) : 0;
  return (
    <svg width="160" height="14" aria-hidden="true" className="inline-block align-middle">
      <rect x="0" y="1" width={width} height="12" className="fill-blue-900" />
    </svg>
  );
}

/** LINE friends on the city dashboard: the latest daily snapshot's breakdowns and the recent trend. */
export function FriendDashboardSection({ data, message }: { data: FriendDashboard; message?: string }) {
  const { latest, trend } = data;
  const trendMax = Math.max(0, ...trend.map((t) => t.following));
  return (
    <section aria-labelledby="friends-heading" className="mt-10">
      <h2 id="friends-heading" className="text-2xl font-bold">
        LINE友だちの推移
      </h2>
      {message ? (
        <Notice variant="success" className="mt-4">
          {message}
        </Notice>
      ) : null}
      <Form method="post" className="mt-4">
        <Button type="submit" variant="secondary">
          今すぐ集計する
        </Button>
      </Form>
      {!latest ? (
        <p className="mt-2">まだ集計がありません。友だち数は毎日23時50分に集計されます。</p>
      ) : (
        <>
          <p className="mt-2">
            {latest.day} 時点：友だち <strong data-testid="friends-following">{fmt(latest.following)}</strong>
            人（ブロック {fmt(latest.blocked)}人）
          </p>
          <div className="mt-4 grid gap-6 md:grid-cols-3">
            {latest.breakdowns.map((b) => {
              const max = Math.max(0, ...b.rows.map((r) => r.count));
              return (
                <table key={b.title} className="text-left">
                  <caption className="text-left font-bold">{b.title}別</caption>
                  <tbody>
                    {b.rows.map((r) => (
                      <tr key={r.label}>
                        <th scope="row" className="pr-3 font-normal">
                          {r.label}
                        </th>
                        <td className="pr-2 text-right tabular-nums">{fmt(r.count)}</td>
                        <td>
                          <Bar value={r.count} max={max} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              );
            })}
          </div>
          <table className="mt-6 text-left">
            <caption className="text-left font-bold">直近{trend.length}日の友だち数</caption>
            <thead>
              <tr>
                <th scope="col" className="pr-3">
                  日付
                </th>
                <th scope="col" className="pr-3 text-right">
                  友だち
                </th>
                <th scope="col" className="pr-3 text-right">
                  ブロック
                </th>
                <th scope="col">
                  <span className="sr-only">グラフ</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {trend.map((t) => (
                <tr key={t.day}>
                  <th scope="row" className="pr-3 font-normal tabular-nums">
                    {t.day}
                  </th>
                  <td className="pr-3 text-right tabular-nums">{fmt(t.following)}</td>
                  <td className="pr-3 text-right tabular-nums">{fmt(t.blocked)}</td>
                  <td>
                    <Bar value={t.following} max={trendMax} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
