import { Link } from "react-router";
import type { Route } from "./+types/c.$city.garbage._index";
import { CurrentCityContact } from "~/components/city-contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { getDb } from "#db/client.server";
import { garbageAreas } from "~/features/garbage/pages.server";
import { tPlain } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { tenantContext } from "~/tenants/context";

/** ごみの日: choose the area (plain links, no JavaScript). */
export async function loader({ context }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  return { city: { slug: tenant.slug, name: tenant.name }, areas: await garbageAreas(getDb(), tenant) };
}

export const meta: Route.MetaFunction = ({ data, matches }) => {
  const lang = (matches[0]?.loaderData as { lang?: string } | undefined)?.lang ?? "ja";
  return [{ title: tPlain(lang, "garbage:metaTitle", { city: data?.city.name ?? "" }) }];
};

export default function GarbageAreas({ loaderData }: Route.ComponentProps) {
  const { city, areas } = loaderData;
  const { t } = useT();
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <h1 className="text-3xl font-bold">{t("garbage:title")}</h1>
      {areas ? (
        <>
          <h2 className="mt-6 text-xl font-bold">{t("garbage:page.chooseArea")}</h2>
          <ul className="mt-4 grid gap-3 sm:grid-cols-2">
            {areas.map((a) => (
              <li key={a}>
                <Link
                  to={`/c/${city.slug}/garbage/${encodeURIComponent(a)}`}
                  className="flex min-h-tap items-center rounded-lg border border-solid-gray-300 px-4 py-3 text-lg font-bold underline"
                >
                  {a}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <p className="mt-6 text-lg">{t("garbage:page.noData")}</p>
          <CurrentCityContact className="mt-3" />
        </>
      )}
    </ResidentLayout>
  );
}
