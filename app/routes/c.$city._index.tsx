import { Link } from "react-router";
import type { Route } from "./+types/c.$city._index";
import { CurrentCityContact } from "~/components/city-contact";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { tPlain } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { tenantContext } from "~/tenants/context";

export function loader({ context }: Route.LoaderArgs) {
  const t = context.get(tenantContext);
  return { city: { slug: t.slug, name: t.name } };
}

export const meta: Route.MetaFunction = ({ data, matches }) => {
  const lang = (matches[0]?.loaderData as { lang?: string } | undefined)?.lang ?? "ja";
  return [{ title: tPlain(lang, "city.title", { city: data?.city.name ?? "" }) }];
};

// The services a resident can reach (catalogue keys under home.*); each becomes a page as its slice lands.
const SERVICES: { key: string; to?: string }[] = [
  { key: "reserve", to: "reserve" },
  { key: "reservation", to: "reservation" },
  { key: "settings", to: "line/settings" },
  { key: "garbage", to: "garbage" },
  { key: "report" },
  { key: "shelter" },
];

export default function CityHome({ loaderData }: Route.ComponentProps) {
  const { city } = loaderData;
  const { t } = useT();
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <h1 className="text-3xl font-bold">{t("city.title", { city: city.name })}</h1>
      <p className="mt-4 text-lg">{t("home.lead")}</p>
      <ul className="mt-6 grid gap-4 sm:grid-cols-2">
        {SERVICES.map((s) => (
          <li key={s.key} className="rounded-lg border border-solid-gray-300 p-4">
            <h2 className="text-xl font-bold">{t(`home.${s.key}.title`)}</h2>
            <p className="mt-2">{t(`home.${s.key}.body`)}</p>
            {s.to ? (
              <Link to={`/c/${city.slug}/${s.to}`} className="mt-3 inline-block min-h-tap text-lg font-bold underline">
                {t(`home.${s.key}.link`)}
              </Link>
            ) : (
              <p className="mt-3 text-solid-gray-700">{t("home.comingSoon")}</p>
            )}
          </li>
        ))}
      </ul>
      <p className="mt-8">{t("home.phone")}</p>
      <CurrentCityContact className="mt-3" />
    </ResidentLayout>
  );
}
