import { useRouteLoaderData } from "react-router";
import { telHref, type CityContact as CityContactValue } from "~/lib/city-contact";
import { useT } from "~/lib/i18n/react";
import { cx } from "./ui/cx";

export type CityContactProps = {
  contact: CityContactValue | null;
  /** Shown when the city has not set its numbers yet, e.g. "紀ノ川デモ市". */
  cityName?: string;
  title?: string;
  /** The heading's level in the page's outline (h2 on most pages, h3 inside a section). */
  headingLevel?: 2 | 3 | 4;
  className?: string;
};

/**
 * The city's 問い合わせ窓口 wherever a page says 「電話で」「電話窓口へ」 (ADR 031): each number a
 * `tel:` link at least 44px tall, with its label and hours, so a resident can call with one tap.
 * The link's accessible name starts with its visible text (label and number). Fixed words in the
 * page's language; the city's own labels and hours are shown as the city wrote them.
 */
export function CityContact({ contact, cityName, title, headingLevel = 2, className }: CityContactProps) {
  const { t, ts } = useT();
  title ??= ts("booking:contactBlock.title");
  const Heading = (["h2", "h3", "h4"] as const)[headingLevel - 2]!;
  return (
    <section
      aria-label={title}
      className={cx("rounded-8 border border-solid-gray-300 bg-white p-4", className)}
      data-testid="city-contact"
    >
      <Heading className="text-[1.125em] font-bold">{title}</Heading>
      {contact && contact.phones.length ? (
        <ul className="mt-2 flex flex-col gap-3">
          {contact.phones.map((p) => (
            <li key={`${p.label}-${p.number}`}>
              <a
                href={telHref(p.number)}
                className="inline-flex min-h-tap min-w-tap flex-wrap items-baseline gap-x-3 py-1 font-bold"
              >
                <span>{p.label}</span>
                <span className="text-[1.375em] tracking-[0.05em]">{p.number}</span>
              </a>
              <p className="text-solid-gray-700">{t("booking:contactBlock.hours", { hours: p.hours })}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2">
          {cityName ? t("booking:contactBlock.fallbackCity", { city: cityName }) : t("booking:contactBlock.fallback")}
        </p>
      )}
      {contact?.webUrl ? (
        <p className="mt-3">
          <a href={contact.webUrl} className="inline-flex min-h-tap items-center" rel="noopener">
            {cityName ? t("booking:contactBlock.webCity", { city: cityName }) : t("booking:contactBlock.web")}
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** The current city's contact and name, from the /c/:city layout's loader (null outside it). */
export function useCityContact(): { contact: CityContactValue | null; cityName: string } {
  const data = useRouteLoaderData("routes/c.$city") as
    { city: { name: string }; contact: CityContactValue | null } | undefined;
  return { contact: data?.contact ?? null, cityName: data?.city.name ?? "" };
}

/** <CityContact> for the current city, for pages under /c/:city. */
export function CurrentCityContact(props: Omit<CityContactProps, "contact" | "cityName">) {
  const { contact, cityName } = useCityContact();
  return <CityContact contact={contact} cityName={cityName} {...props} />;
}
