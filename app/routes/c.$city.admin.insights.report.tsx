import type { Route } from "./+types/c.$city.admin.insights.report";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { insightsPage } from "~/features/insights/insights-page.server";
import { FigureCard } from "~/features/insights/components/figure-card";
import { PeriodForm } from "~/features/insights/components/period-form";
import { formatDateJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

export const meta = () => [{ title: "議会報告（利用状況）" }];

/** The council report: every figure with its table, laid out for the browser's print / PDF. */
export async function loader({ context, request }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin", "analyst"]);
  const tenant = context.get(tenantContext);
  const page = await insightsPage(getDb(), tenant, staff.membership.role, new URL(request.url));
  return { ...page, cityName: tenant.name, base: `/c/${tenant.slug}/admin/insights` };
}

export default function Report({ loaderData }: Route.ComponentProps) {
  const { period, sections, cityName, base } = loaderData;
  return (
    <article className="max-w-4xl">
      <h1 className="text-[1.75em] leading-[1.4]">
        {cityName} 利用状況報告（{formatDateJa(period.from)}〜{formatDateJa(period.to)}）
      </h1>
      <p className="mt-2">
        LINE公式アカウントと予約システムの利用状況です。個人が特定されないよう、10人未満の人数と、そこから計算で分かってしまう数は「10人未満」と表示しています。
      </p>
      <div className="mt-6 print:hidden">
        <PeriodForm period={period} />
        <p className="mt-4 flex flex-wrap gap-x-6">
          <span>ブラウザーの「印刷」からPDFとして保存できます。</span>
          <a href={`${base}/export?from=${period.from}&to=${period.to}`} download>
            同じ内容をCSVで保存
          </a>
        </p>
      </div>
      {sections.map((s) => (
        <section key={s.id} aria-labelledby={`sec-${s.id}`} className="mt-10 break-before-page first:break-before-auto">
          <h2 id={`sec-${s.id}`} className="text-2xl font-bold">
            {s.title}
          </h2>
          {s.figures.map((f) => (
            <FigureCard key={f.id} figure={f} print />
          ))}
        </section>
      ))}
    </article>
  );
}
