import { ButtonLink } from "~/components/ui/button";
import { useT } from "~/lib/i18n/react";

/**
 * The done page's take-away block (ADR 033): the confirmation code as a QR code to show at the
 * venue's reception, and 「カレンダーに追加」 (an .ics download any phone calendar opens).
 * `qrSvg` is drawn on the server by the qrcode package (attributes only, no inline style).
 */
export function CheckInBlock({ code, qrSvg, calendarHref }: { code: string; qrSvg: string; calendarHref: string }) {
  const { t, ts } = useT();
  return (
    <section aria-labelledby="check-in-heading" className="mt-8">
      <h2 id="check-in-heading" className="text-[1.25em]">
        {t("booking:checkIn.title")}
      </h2>
      <p className="mt-2">{t("booking:checkIn.lead")}</p>
      <div
        role="img"
        aria-label={ts("booking:checkIn.qr", { code })}
        className="mx-auto mt-4 w-56 max-w-full rounded-8 border border-solid-gray-300 bg-white p-2 [&>svg]:block [&>svg]:h-auto [&>svg]:w-full"
        dangerouslySetInnerHTML={{ __html: qrSvg }}
      />
      <ButtonLink to={calendarHref} reloadDocument variant="secondary" size="lg" fullWidth className="mt-6">
        {t("booking:checkIn.calendar")}
      </ButtonLink>
      <p className="mt-2 text-[0.9375em] text-solid-gray-700">{t("booking:checkIn.calendarHint")}</p>
    </section>
  );
}
