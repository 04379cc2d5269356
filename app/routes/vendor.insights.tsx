import type { Route } from "./+types/vendor.insights";
import { getDb } from "#db/client.server";
import { PageHeader } from "~/components/ui/page-header";
import { vendorInsights } from "~/features/insights/vendor-insights.server";
import { FigureCard } from "~/features/insights/components/figure-card";
import { HealthTable } from "~/features/tenant-health/health-table";
import { healthDepsFromEnv } from "~/features/tenant-health/health-deps.server";
import { tenantHealth } from "~/features/tenant-health/health.server";

export const meta = () => [{ title: "自治体横断の分析" }];

/** Friends, bookings and messages across cities (k-anonymous), beside the cities' health. */
export async function loader() {
  const [figures, health] = await Promise.all([vendorInsights(getDb()), healthDepsFromEnv().then(tenantHealth)]);
  return { figures, health: health.map((h) => ({ ...h, lastBroadcastAt: h.lastBroadcastAt?.toISOString() ?? null })) };
}

export default function VendorInsights({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title="自治体横断の分析"
        description="各自治体の利用状況（直近12か月）。10人未満の値と、そこから計算で分かってしまう値は「10人未満」と表示します。"
      />
      <h2 className="mt-6 text-2xl font-bold">自治体の稼働状況</h2>
      <HealthTable rows={loaderData.health} />
      {loaderData.figures.map((f) => (
        <FigureCard key={f.id} figure={f} csvHref={`/vendor/insights/export?figure=${f.id}`} />
      ))}
    </>
  );
}
