import { cx } from "~/components/ui/cx";
import { useT } from "~/lib/i18n/react";

/** The steps' catalogue keys (`booking:steps.*`), in order. */
export const BOOKING_STEPS = ["identity", "contact", "venue", "slot", "confirm"] as const;

/** "ステップ 2／5" and the names of all steps, so a resident knows how far there is to go. */
export function StepIndicator({ current }: { current: number }) {
  const { t, ts } = useT();
  return (
    <nav aria-label={ts("booking:steps.nav")} className="mb-6">
      <p className="font-bold text-blue-900">{t("booking:steps.progress", { current, total: BOOKING_STEPS.length })}</p>
      <ol className="mt-2 flex flex-wrap gap-2 text-[0.875em]">
        {BOOKING_STEPS.map((step, i) => (
          <li
            key={step}
            aria-current={i + 1 === current ? "step" : undefined}
            className={cx(
              "rounded-6 border px-2 py-0.5",
              i + 1 === current
                ? "border-blue-900 bg-blue-900 font-bold text-white"
                : i + 1 < current
                  ? "border-solid-gray-600 text-solid-gray-800"
                  : "border-solid-gray-300 text-solid-gray-700",
            )}
          >
            {i + 1}. {t(`booking:steps.${step}`)}
            {i + 1 < current ? <span className="sr-only">{t("booking:steps.completed")}</span> : null}
          </li>
        ))}
      </ol>
    </nav>
  );
}
