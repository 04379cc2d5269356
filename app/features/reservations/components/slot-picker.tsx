import type { ReactNode } from "react";
import { Form, Link } from "react-router";
import { ButtonLink } from "~/components/ui/button";
import { cx } from "~/components/ui/cx";
import { formatDateIn, formatDayIn } from "~/lib/japan-time";
import { useT } from "~/lib/i18n/react";
import { FEW_SEATS_LABEL_LIMIT } from "./labels";

export type PickerDay = {
  key: string;
  date: string;
  slots: { id: string; time: string; endTime: string; remaining: number }[];
};

type Props = {
  days: PickerDay[];
  /** The `?day=` chosen, if any; an unknown or full day shows the list of days again. */
  chosenDay: string | null;
  /** Where a day button leads (the same page with `?day=`). */
  dayHref: (key: string) => string;
  /** Where the time buttons submit `?slot=<id>`. */
  action: string;
  hidden?: Record<string, string>;
  emptyMessage: ReactNode;
};

const seatsLeft = (day: PickerDay) => day.slots.reduce((n, s) => n + Math.max(0, s.remaining), 0);

/**
 * Day first, then that day's times (ADR 033): a venue with weeks of 30-minute slots was one
 * 7,400 px page on a phone. Only days with room are offered, each with how many places are left;
 * a day is a link and a time is a submit button of a GET form, so both steps work without
 * JavaScript. Full times stay visible but disabled, so the day reads as it is. Days are written
 * from their key in the page's language (era-free western dates in English).
 */
export function SlotPicker({ days, chosenDay, dayHref, action, hidden = {}, emptyMessage }: Props) {
  const { t, lang } = useT();
  const open = days.filter((d) => seatsLeft(d) > 0);
  if (open.length === 0) return <p className="mt-4 rounded-8 border border-solid-gray-300 p-4">{emptyMessage}</p>;
  const day = open.find((d) => d.key === chosenDay);
  if (!day) return <DayList days={open} dayHref={dayHref} />;
  return (
    <section aria-labelledby="times-heading" className="mt-6">
      <h2 id="times-heading" className="text-[1.25em]">
        {t("booking:slot.timesOf", { date: formatDateIn(lang, day.key) })}
      </h2>
      <Form method="get" action={action} className="mt-3">
        {Object.entries(hidden).map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          {day.slots.map((s) => {
            const full = s.remaining <= 0;
            const few = !full && s.remaining < FEW_SEATS_LABEL_LIMIT;
            return (
              <li key={s.id}>
                <button
                  type="submit"
                  name="slot"
                  value={s.id}
                  disabled={full}
                  className={cx(
                    "flex min-h-16 w-full flex-col items-center justify-center rounded-8 border-2 px-2 py-2 font-bold leading-[1.4]",
                    full
                      ? "border-solid-gray-300 bg-solid-gray-50 text-solid-gray-700"
                      : "border-blue-900 bg-white text-blue-900 hover:bg-blue-100 hover:underline",
                  )}
                >
                  <span className="text-[1.125em]">{t("booking:summary.range", { from: s.time, to: s.endTime })}</span>
                  <span className={cx("text-[0.875em]", few && "text-error-2")}>
                    {full
                      ? t("booking:slot.full")
                      : t(few ? "booking:slot.few" : "booking:slot.open", { count: s.remaining })}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </Form>
      <ButtonLink to={dayHref("")} variant="secondary" className="mt-6">
        {t("booking:slot.otherDay")}
      </ButtonLink>
    </section>
  );
}

function DayList({ days, dayHref }: { days: PickerDay[]; dayHref: (key: string) => string }) {
  const { t, lang } = useT();
  // "12月10日(木)" fits a half-width button on a phone; the year only when the list spans two.
  const oneYear = days.every((d) => d.key.slice(0, 4) === days[0]!.key.slice(0, 4));
  return (
    <section aria-labelledby="days-heading" className="mt-6">
      <h2 id="days-heading" className="text-[1.25em]">
        {t("booking:slot.days")}
      </h2>
      <p className="mt-1">{t("booking:slot.daysLead")}</p>
      <ul className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3">
        {days.map((d) => {
          const left = seatsLeft(d);
          return (
            <li key={d.key}>
              <Link
                to={dayHref(d.key)}
                className="flex min-h-16 w-full flex-col items-center justify-center rounded-8 border-2 border-blue-900 bg-white px-2 py-2 font-bold leading-[1.4] text-blue-900 no-underline hover:bg-blue-100 hover:underline"
              >
                <span className="text-[1.0625em]">
                  {oneYear ? formatDayIn(lang, d.key) : formatDateIn(lang, d.key)}
                </span>
                <span className={cx("text-[0.875em]", left < FEW_SEATS_LABEL_LIMIT && "text-error-2")}>
                  {t("booking:slot.left", { count: left })}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
