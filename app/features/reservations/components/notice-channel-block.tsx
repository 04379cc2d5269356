import { Link } from "react-router";
import { CurrentCityContact } from "~/components/city-contact";
import { useT } from "~/lib/i18n/react";
import type { NoticePromise } from "../notice-promise.server";

/**
 * The done page's promise about notices and where to call (issue 13.1/13.2): names exactly the
 * channel the notice jobs will use for this booking, then the city's numbers. A separate block so
 * the done page's own layout can change without touching it.
 */
export function NoticeChannelBlock({ promise, citySlug }: { promise: NoticePromise; citySlug: string }) {
  const { t, ts } = useT();
  return (
    <section aria-labelledby="notice-channel-heading" className="mt-8" data-testid="notice-channel">
      <h2 id="notice-channel-heading" className="text-[1.25em]">
        {t("booking:notices.title")}
      </h2>
      <p className="mt-2">
        {promise.channel === "line"
          ? t("booking:notices.line")
          : promise.channel === "email"
            ? t("booking:notices.email", { address: promise.maskedEmail })
            : t("booking:notices.none")}
      </p>
      {promise.channel === "none" ? (
        <p className="mt-2 flex">
          <Link to={`/c/${citySlug}/reservation`}>{t("booking:done.manage")}</Link>
        </p>
      ) : null}
      <CurrentCityContact title={ts("booking:notices.phoneTitle")} className="mt-4" />
    </section>
  );
}
