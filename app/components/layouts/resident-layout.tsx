import type { ReactNode } from "react";
import { Link, useRouteLoaderData } from "react-router";
import { LiffBoot } from "~/features/liff/components/liff-boot";
import { useT } from "~/lib/i18n/react";
import { DisplaySettings } from "./display-settings";
import { SkipLink } from "./layout-parts";

export type ResidentLayoutProps = { cityName: string; citySlug: string; children: ReactNode };

/**
 * Resident pages of one city, on the web and inside LINE (LIFF). Body text is 18px and the
 * column narrow: many residents are elderly and on phones. Components size in em, so they grow
 * with it. LiffBoot does the LIFF handshake when the page runs inside LINE. The texts come from
 * the catalogue in the resident's language; DisplaySettings switches it and the text size.
 */
export function ResidentLayout({ cityName, citySlug, children }: ResidentLayoutProps) {
  const { t, ts, raw } = useT();
  const prefs = useRouteLoaderData("root") as { largeText?: boolean } | undefined;
  // The city's disaster mode (issue 18.4): a banner on every resident page, pointing to open shelters.
  const disaster = (useRouteLoaderData("routes/c.$city") as { disaster?: string | null } | undefined)?.disaster;
  return (
    <div className="flex min-h-dvh flex-col text-[1.125rem] leading-[1.8]">
      <SkipLink label={t("layout.skip")} />
      <LiffBoot citySlug={citySlug} />
      <header className="border-t-8 border-blue-900 border-b border-b-solid-gray-200 bg-white">
        <div className="mx-auto flex max-w-3xl items-center px-4 py-3">
          <Link
            to={`/c/${citySlug}`}
            className="flex min-h-tap flex-wrap items-center gap-x-3 text-solid-gray-900 no-underline hover:underline"
          >
            <span className="text-[1.375em] font-bold leading-[1.4]">{cityName}</span>
            <span className="rounded-6 bg-blue-900 px-2.5 py-0.5 font-bold text-white">{t("layout.badge")}</span>
          </Link>
        </div>
      </header>
      {disaster ? (
        <div role="region" aria-label={ts("shelters:web.title")} className="border-b-4 border-red-900 bg-red-50">
          <div className="mx-auto max-w-3xl px-4 py-3">
            <p className="font-bold text-solid-gray-900">
              {t("shelters:web.banner", { hazard: raw(`shelters:hazard.${disaster}`) })}
            </p>
            <Link to={`/c/${citySlug}/shelters`} className="font-bold">
              {t("shelters:web.bannerLink")}
            </Link>
          </div>
        </div>
      ) : null}
      <DisplaySettings largeText={prefs?.largeText === true} />
      <main id="main" className="tap-links mx-auto w-full max-w-3xl flex-1 px-4 py-8">
        {children}
      </main>
      <footer className="border-t border-solid-gray-200 bg-solid-gray-50">
        <div className="mx-auto flex max-w-3xl flex-col gap-2 px-4 py-6">
          <p>{t("layout.privacy")}</p>
          <p className="text-[0.875em] text-solid-gray-700">{cityName}</p>
        </div>
      </footer>
    </div>
  );
}
