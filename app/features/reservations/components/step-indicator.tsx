import { cx } from "~/components/ui/cx";

export const BOOKING_STEPS = ["本人確認", "連絡先", "会場", "日時", "確認"] as const;

/** "ステップ 2／5" and the names of all steps, so a resident knows how far there is to go. */
export function StepIndicator({ current }: { current: number }) {
  return (
    <nav aria-label="予約の手順" className="mb-6">
      <p className="font-bold text-blue-900">
        ステップ {current}／{BOOKING_STEPS.length}
      </p>
      <ol className="mt-2 flex flex-wrap gap-2 text-[0.875em]">
        {BOOKING_STEPS.map((label, i) => (
          <li
            key={label}
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
            {i + 1}. {label}
            {i + 1 < current ? <span className="sr-only">（済み）</span> : null}
          </li>
        ))}
      </ol>
    </nav>
  );
}
