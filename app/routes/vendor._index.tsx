import { Link } from "react-router";
import type { Route } from "./+types/vendor._index";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { listTenants } from "~/features/tenants/tenants.server";
import { STATUS_LABEL } from "~/features/tenants/tenant-status";

export async function loader() {
  const tenants = await listTenants(getDb());
  return { tenants: tenants.map((t) => ({ id: t.id, slug: t.slug, name: t.name, prefecture: t.prefecture, status: t.status, population: t.population })) };
}

export const meta: Route.MetaFunction = () => [{ title: "自治体一覧 | 窓口 ベンダーコンソール" }];

export default function TenantList({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageHeader title="自治体一覧" description={`${loaderData.tenants.length}自治体`} />
      <p className="mt-2"><Link className="underline" to="/vendor/cities/new">新しい自治体を登録する</Link></p>
      <table className="mt-6 w-full text-left">
        <caption className="sr-only">自治体一覧</caption>
        <thead>
          <tr><th scope="col">自治体</th><th scope="col">都道府県</th><th scope="col">URL</th><th scope="col">人口</th><th scope="col">状態</th></tr>
        </thead>
        <tbody>
          {loaderData.tenants.map((t) => (
            <tr key={t.id}>
              <td><Link className="underline" to={`/vendor/cities/${t.id}`}>{t.name}</Link></td>
              <td>{t.prefecture}</td>
              <td><code>/c/{t.slug}</code></td>
              <td>{t.population?.toLocaleString("ja-JP") ?? "—"}</td>
              <td>{STATUS_LABEL[t.status]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
