import { Link } from "react-router";
import type { Route } from "./+types/c.$city.status";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { getDb } from "#db/client.server";
import { publicLookups } from "~/features/status-lookup/check.server";
import { tPlain } from "~/lib/i18n";
import { formatDateFor } from "~/lib/i18n/dates";
import { useT } from "~/lib/i18n/react";
import { tenantContext } from "~/tenants/context";

// 申請状況の確認 (issue 19): the city's lookups that are open or opening soon; works without JavaScript.
export async function loader({ context }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const lookups = await publicLookups(getDb(), tenant.id, new Date());
  return { city: { slug: tenant.slug, name: tenant.name }, lookups: lookups.filter((l) => l.phase !== "closed") };
}

export const meta: Route.MetaFunction = ({ data, matches }) => {
  const lang = (matches[0]?.loaderData as { lang?: string } | undefined)?.lang ?? "ja";
  return [
    { title: `${tPlain(lang, "status:title")} | ${tPlain(lang, "city.title", { city: data?.city.name ?? "" })}` },
  ];
};

export default function StatusListPage({ loaderData }: Route.ComponentProps) {
  const { city, lookups } = loaderData;
  const { t, lang } = useT();
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <h1 className="text-3xl font-bold">{t("status:title")}</h1>
      <p className="mt-4 text-lg">{t("status:lead", { city: city.name })}</p>
      {lookups.length === 0 ? <p className="mt-6">{t("status:none")}</p> : <p className="mt-6">{t("status:choose")}</p>}
      <ul className="mt-3 flex flex-col gap-3">
        {lookups.map((l) => (
          <li key={l.id} className="rounded-8 border border-solid-gray-300 p-4">
            <Link to={`/c/${city.slug}/status/${l.id}`} className="text-lg font-bold">
              {l.title}
            </Link>
            <p className="mt-1">
              {t("status:period", { from: formatDateFor(lang, l.opensOn), to: formatDateFor(lang, l.closesOn) })}
            </p>
          </li>
        ))}
      </ul>
    </ResidentLayout>
  );
}
