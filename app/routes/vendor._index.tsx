import { Link, useSearchParams } from "react-router";
import type { Route } from "./+types/vendor._index";
import { ButtonLink } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { onboardingOverview } from "~/features/onboarding/state.server";
import { STEP_LABEL, ONBOARDING_STEPS } from "~/features/onboarding/steps";
import { HealthTable } from "~/features/tenant-health/health-table";
import { healthDepsFromEnv } from "~/features/tenant-health/health-deps.server";
import { tenantHealth } from "~/features/tenant-health/health.server";
import { listTenants } from "~/features/tenants/tenants.server";
import { STATUS_LABEL } from "~/features/tenants/tenant-status";
import { formatDateTimeJa } from "~/lib/japan-time";

/** The vendor's overview: cities in onboarding at a glance, the health of live cities (worst first), all cities. */
export async function loader() {
  const db = getDb();
  const [tenants, onboarding, health] = await Promise.all([
    listTenants(db),
    onboardingOverview(db),
    healthDepsFromEnv().then(tenantHealth),
  ]);
  return {
    tenants: tenants.map((t) => ({
      id: t.id,
      slug: t.slug,
      name: t.name,
      prefecture: t.prefecture,
      status: t.status,
      population: t.population,
    })),
    onboarding: onboarding.map((o) => ({ ...o, updatedAt: o.updatedAt.toISOString() })),
    health: health.map((h) => ({ ...h, lastBroadcastAt: h.lastBroadcastAt?.toISOString() ?? null })),
  };
}

export const meta: Route.MetaFunction = () => [{ title: "自治体一覧 | 窓口 ベンダーコンソール" }];

export default function VendorOverview({ loaderData }: Route.ComponentProps) {
  const [params] = useSearchParams();
  const discarded = params.get("discarded");
  const total = ONBOARDING_STEPS.length;
  return (
    <>
      <PageHeader
        title="自治体一覧"
        description={`${loaderData.tenants.length}自治体`}
        actions={<ButtonLink to="/vendor/onboarding/new">新しい自治体の利用準備</ButtonLink>}
      />
      {discarded ? (
        <Notice variant="success" className="mb-6">
          {discarded}
        </Notice>
      ) : null}

      <h2 className="mt-4 text-2xl font-bold">利用準備中</h2>
      <DataTable
        className="mt-3"
        caption="利用準備（オンボーディング）中の自治体"
        captionHidden
        rows={loaderData.onboarding}
        rowKey={(r) => r.tenantId}
        emptyMessage="利用準備中の自治体はありません。"
        columns={[
          { header: "自治体", rowHeader: true, cell: (r) => r.name },
          { header: "現在の手順", cell: (r) => `${r.stepNumber}/${total} ${STEP_LABEL[r.currentStep]}` },
          {
            header: "状態",
            cell: (r) =>
              r.failed ? (
                <span>
                  <span className="font-bold text-error-2">要対応（{STEP_LABEL[r.failed.step]}）</span>
                  <span className="block text-sm">{r.failed.message}</span>
                </span>
              ) : (
                "進行中"
              ),
          },
          { header: "最終更新", cell: (r) => formatDateTimeJa(r.updatedAt) },
          {
            header: "操作",
            cell: (r) => (
              <Link className="underline" to={`/vendor/onboarding/${r.tenantId}`}>
                再開する<span className="sr-only">（{r.name}）</span>
              </Link>
            ),
          },
        ]}
      />

      <h2 className="mt-10 text-2xl font-bold">利用中の自治体の状態</h2>
      <HealthTable rows={loaderData.health} />

      <h2 className="mt-10 text-2xl font-bold">すべての自治体</h2>
      <DataTable
        className="mt-3"
        caption="すべての自治体"
        captionHidden
        rows={loaderData.tenants}
        rowKey={(t) => t.id}
        columns={[
          {
            header: "自治体",
            rowHeader: true,
            cell: (t) => (
              <Link className="underline" to={`/vendor/cities/${t.id}`}>
                {t.name}
              </Link>
            ),
          },
          { header: "都道府県", cell: (t) => t.prefecture },
          { header: "URL", cell: (t) => <code>/c/{t.slug}</code> },
          { header: "人口", numeric: true, cell: (t) => t.population?.toLocaleString("ja-JP") ?? "—" },
          { header: "状態", cell: (t) => STATUS_LABEL[t.status] },
        ]}
      />
    </>
  );
}
