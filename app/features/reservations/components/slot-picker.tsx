import { Form } from "react-router";
import { cx } from "~/components/ui/cx";
import { FEW_SEATS_LABEL_LIMIT } from "./labels";

export type PickerDay = { date: string; slots: { id: string; time: string; endTime: string; remaining: number }[] };

/**
 * Days and times as big buttons, one GET form per day: choosing a time is one tap and works without
 * JavaScript (the button submits `?slot=<id>` to `action`). Full times stay visible but disabled.
 */
export function SlotPicker({
  days,
  action,
  hidden = {},
  emptyMessage,
}: {
  days: PickerDay[];
  action: string;
  hidden?: Record<string, string>;
  emptyMessage: string;
}) {
  if (days.length === 0) return <p className="mt-4 rounded-8 border border-solid-gray-300 p-4">{emptyMessage}</p>;
  return (
    <div className="mt-4 flex flex-col gap-6">
      {days.map((day) => (
        <section key={day.date} aria-labelledby={`day-${day.slots[0]!.id}`}>
          <h2 id={`day-${day.slots[0]!.id}`} className="text-[1.25em]">
            {day.date}
          </h2>
          <Form method="get" action={action} className="mt-2">
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
                      <span className="text-[1.125em]">
                        {s.time}〜{s.endTime}
                      </span>
                      <span className={cx("text-[0.875em]", few && "text-error-2")}>
                        {full ? "満席" : few ? `残りわずか（${s.remaining}）` : `空きあり（${s.remaining}）`}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </Form>
        </section>
      ))}
    </div>
  );
}
