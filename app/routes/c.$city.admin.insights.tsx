import type { Route } from "./+types/c.$city.admin.insights";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { insightsPage } from "~/features/insights/insights-page.server";
import { FigureCard } from "~/features/insights/components/figure-card";
import { PeriodForm } from "~/features/insights/components/period-form";
import { formatDateJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

export const meta = () => [{ title: "利用状況の分析" }];

/** The city's insights (admin, analyst): k-anonymous figures for a period, each with table and CSV. */
export async function loader({ context, request }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin", "analyst"]);
  const tenant = context.get(tenantContext);
  const url = new URL(request.url);
  const page = await insightsPage(getDb(), tenant, staff.membership.role, url);
  return { ...page, base: `/c/${tenant.slug}/admin/insights` };
}

export default function Insights({ loaderData }: Route.ComponentProps) {
  const { period, sections, base } = loaderData;
  const qs = `from=${period.from}&to=${period.to}`;
  return (
    <>
      <PageHeader
        title="利用状況の分析"
        description={`${formatDateJa(period.from)}〜${formatDateJa(period.to)}。10人未満の人数（と、そこから計算で分かってしまう数）は「10人未満」と表示します。`}
      />
      {period.error ? <Notice variant="warning">{period.error}</Notice> : null}
      <PeriodForm period={period} />
      <p className="mt-4 flex flex-wrap gap-x-6 gap-y-2">
        <a href={`${base}/report?${qs}`}>議会報告用の印刷ページ</a>
        <a href={`${base}/export?${qs}`} download>
          すべての図の数値をCSVで保存
        </a>
      </p>
      {sections.map((s) => (
        <section key={s.id} aria-labelledby={`sec-${s.id}`} className="mt-12">
          <h2 id={`sec-${s.id}`} className="text-2xl font-bold">
            {s.title}
          </h2>
          {s.figures.map((f) => (
            <FigureCard key={f.id} figure={f} csvHref={`${base}/export?${qs}&figure=${f.id}`} />
          ))}
        </section>
      ))}
    </>
  );
}
