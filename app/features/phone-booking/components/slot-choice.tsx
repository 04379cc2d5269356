import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { ErrorIcon } from "~/components/ui/icons";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { formatTimeJa } from "~/lib/japan-time";
import type { PageSlot } from "../phone-page.server";

/** "Web 12/20 ・ 電話 3/10": both quotas, so staff can tell a caller whether the web still has room. */
export function quotaText(s: Pick<PageSlot, "webBooked" | "webCapacity" | "phoneBooked" | "phoneCapacity">) {
  return `Web ${s.webBooked}/${s.webCapacity} ・ 電話 ${s.phoneBooked}/${s.phoneCapacity}`;
}

/** Why a slot cannot be chosen, or null when it can. */
export function slotBlocker(s: PageSlot, quota: "web" | "phone", currentSlotId?: string) {
  if (s.id === currentSlotId) return "現在の予約";
  if (s.past) return "終了";
  if (!s.open) return "受付停止";
  const full = quota === "phone" ? s.phoneBooked >= s.phoneCapacity : s.webBooked >= s.webCapacity;
  return full ? (quota === "phone" ? "電話枠は満席" : "Web枠は満席") : null;
}

type VenueDayPickerProps = {
  holderId: string;
  changeId?: string;
  venues: { id: string; name: string }[];
  venueId: string | null;
  date: string;
  today: string;
};

/** Venue and day: a GET form, so the choice lives in the URL and survives a reload mid-call. */
export function VenueDayPicker({ holderId, changeId, venues, venueId, date, today }: VenueDayPickerProps) {
  return (
    <Form method="get" className="flex flex-wrap items-end gap-4">
      <input type="hidden" name="holder" value={holderId} />
      {changeId ? <input type="hidden" name="change" value={changeId} /> : null}
      <SelectField
        label="会場"
        name="venue"
        required
        placeholder="選択してください"
        options={venues.map((v) => ({ value: v.id, label: v.name }))}
        defaultValue={venueId ?? ""}
        className="min-w-64"
      />
      <TextField label="日付" name="date" type="date" required min={today} defaultValue={date} className="w-56" />
      <Button type="submit" variant="secondary">
        空き状況を表示
      </Button>
    </Form>
  );
}

type SlotRadiosProps = {
  slots: PageSlot[];
  quota: "web" | "phone";
  currentSlotId?: string;
  selected?: string;
  error?: string;
};

/** The slots of the day as one radio group; slots that cannot take this booking are shown but disabled. */
export function SlotRadios({ slots, quota, currentSlotId, selected, error }: SlotRadiosProps) {
  const services = new Set(slots.map((s) => s.serviceId));
  return (
    <fieldset aria-describedby={error ? "slot-error" : undefined}>
      <legend className="mb-2 font-bold text-solid-gray-900">
        日時（{quota === "phone" ? "電話枠" : "Web枠"}から予約します）
      </legend>
      {error ? (
        <p id="slot-error" className="mb-2 flex items-start gap-1 font-bold text-error-2">
          <ErrorIcon className="mt-[0.2em] inline-block size-[1.25em] shrink-0 fill-current" />
          <span>{error}</span>
        </p>
      ) : null}
      <ul className="grid gap-2 sm:grid-cols-2">
        {slots.map((s) => {
          const blocker = slotBlocker(s, quota, currentSlotId);
          return (
            <li key={s.id}>
              <label
                className={`flex min-h-14 items-center gap-3 rounded-8 border px-4 py-2 ${blocker ? "border-solid-gray-300 bg-solid-gray-50 text-solid-gray-700" : "border-solid-gray-600 hover:border-black"}`}
              >
                <input
                  type="radio"
                  name="slotId"
                  value={s.id}
                  disabled={blocker !== null}
                  defaultChecked={selected === s.id}
                  className="size-6 shrink-0"
                  aria-invalid={error ? true : undefined}
                />
                <span>
                  <span className="font-bold tabular-nums">
                    {formatTimeJa(s.startsAt)}〜{formatTimeJa(s.endsAt)}
                  </span>
                  {services.size > 1 ? <span className="ml-2">{s.serviceName}</span> : null}
                  <span className="block tabular-nums">
                    {quotaText(s)}
                    {blocker ? <span className="ml-2 font-bold">（{blocker}）</span> : null}
                  </span>
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
