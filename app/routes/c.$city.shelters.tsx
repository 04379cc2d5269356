import { useState, useSyncExternalStore } from "react";
import { useNavigate } from "react-router";
import type { Route } from "./+types/c.$city.shelters";
import { ResidentLayout } from "~/components/layouts/resident-layout";
import { getDb } from "#db/client.server";
import { formatDistance, mapUrl, walkingMinutes } from "~/features/shelters/distance";
import { isHazard, isShelterStatus } from "~/features/shelters/hazards";
import { publicShelters, readPosition, type PublicShelter } from "~/features/shelters/public.server";
import { tPlain } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { formatTimeJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

// The city's shelters (issue 18.3): by area without JavaScript; with it, 「近い順に並べる」 asks the
// browser for the position and reloads with ?lat=&lon=, sorted by distance in the database.
export async function loader({ context, request }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const at = readPosition(new URL(request.url));
  const { hazard, shelters } = await publicShelters(getDb(), tenant.id, at);
  return { city: { slug: tenant.slug, name: tenant.name }, areas: tenant.areas, hazard, shelters, sorted: at !== null };
}

export const meta: Route.MetaFunction = ({ data, matches }) => {
  const lang = (matches[0]?.loaderData as { lang?: string } | undefined)?.lang ?? "ja";
  return [
    { title: `${tPlain(lang, "shelters:web.title")} | ${tPlain(lang, "city.title", { city: data?.city.name ?? "" })}` },
  ];
};

const noSubscribe = () => () => {};

function Item({ s, level }: { s: PublicShelter; level: 2 | 4 }) {
  const { t, ts } = useT();
  const Heading = level === 2 ? "h2" : "h4";
  const open = s.status === "open" || s.status === "crowded";
  return (
    <li className="rounded-8 border border-solid-gray-300 p-4">
      <Heading className="text-xl font-bold">{s.name}</Heading>
      <p className={open ? "font-bold text-success-2" : s.status === "full" ? "font-bold text-error-2" : "font-bold"}>
        {isShelterStatus(s.status) ? t(`shelters:status.${s.status}`) : s.status}
        {s.statusChangedAt ? (
          <span className="ml-2 font-normal">{t("shelters:updated", { time: formatTimeJa(s.statusChangedAt) })}</span>
        ) : null}
      </p>
      {s.meters !== null ? (
        <p>{t("shelters:distance", { distance: formatDistance(s.meters), minutes: walkingMinutes(s.meters) })}</p>
      ) : null}
      {s.address ? <p>{s.address}</p> : null}
      <p className="text-[0.875em]">
        {t("shelters:web.safeFor")}：
        {s.hazards
          .filter(isHazard)
          .map((h) => ts(`shelters:hazard.${h}`))
          .join("・")}
        {s.welfare ? `／${ts("shelters:welfare")}` : ""}
      </p>
      <p>
        <a href={mapUrl(s)} rel="noopener noreferrer">
          {t("shelters:map")}
          <span className="sr-only">（{s.name}）</span>
        </a>
      </p>
    </li>
  );
}

export default function SheltersPage({ loaderData }: Route.ComponentProps) {
  const { city, areas, hazard, shelters, sorted } = loaderData;
  const { t, ts, raw } = useT();
  const navigate = useNavigate();
  // True only in the browser after hydration: the distance button needs JavaScript, so it is not in the HTML.
  const hydrated = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
  const [state, setState] = useState<"idle" | "locating" | "failed">("idle");
  const locate = () => {
    if (!navigator.geolocation) return setState("failed");
    setState("locating");
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setState("idle");
        void navigate(`?lat=${p.coords.latitude.toFixed(5)}&lon=${p.coords.longitude.toFixed(5)}`);
      },
      () => setState("failed"),
      { timeout: 15_000, maximumAge: 60_000 },
    );
  };
  const groups = [...areas, null].map((area) => ({
    area,
    items: shelters.filter((s) => (area === null ? !s.area || !areas.includes(s.area) : s.area === area)),
  }));
  return (
    <ResidentLayout cityName={city.name} citySlug={city.slug}>
      <h1 className="text-3xl font-bold">{t("shelters:web.title")}</h1>
      <p className="mt-4 text-lg">{t("shelters:web.intro", { city: city.name })}</p>
      {hazard && isHazard(hazard) ? (
        <p className="mt-2 font-bold">{t("shelters:introHazard", { hazard: raw(`shelters:hazard.${hazard}`) })}</p>
      ) : null}
      {hydrated ? (
        <div className="mt-6">
          <button type="button" onClick={locate} className="min-h-tap rounded-8 bg-blue-900 px-6 font-bold text-white">
            {ts("shelters:web.byDistance")}
          </button>
        </div>
      ) : null}
      <p role="status" className="mt-2">
        {state === "locating"
          ? t("shelters:web.locating")
          : state === "failed"
            ? t("shelters:web.locateFailed")
            : sorted
              ? t("shelters:web.sorted")
              : ""}
      </p>
      {shelters.length === 0 ? <p className="mt-6">{t("shelters:web.empty")}</p> : null}
      {sorted ? (
        <ul className="mt-6 flex flex-col gap-3">
          {shelters.map((s) => (
            <Item key={s.id} s={s} level={2} />
          ))}
        </ul>
      ) : (
        <>
          <h2 className="mt-8 text-2xl font-bold">{t("shelters:web.byArea")}</h2>
          {groups
            .filter((g) => g.items.length)
            .map((g) => (
              <section key={g.area ?? "-"} aria-labelledby={`area-${g.area ?? "none"}`} className="mt-6">
                <h3 id={`area-${g.area ?? "none"}`} className="text-2xl font-bold">
                  {g.area ?? t("shelters:web.noArea")}
                </h3>
                <ul className="mt-3 flex flex-col gap-3">
                  {g.items.map((s) => (
                    <Item key={s.id} s={s} level={4} />
                  ))}
                </ul>
              </section>
            ))}
        </>
      )}
      <p className="mt-10 text-[0.875em]">{t("shelters:attribution")}</p>
    </ResidentLayout>
  );
}
