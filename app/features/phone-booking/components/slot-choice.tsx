import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { ErrorIcon } from "~/components/ui/icons";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { formatDateJa, formatTimeJa, tokyoDateOf } from "~/lib/japan-time";
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

type RangePickerProps = {
  holderId: string;
  changeId?: string;
  venues: { id: string; name: string }[];
  venueId: string | null;
  from: string;
  to: string;
  today: string;
  maxDays: number;
};

/**
 * Venue (or all) and a span of days: a GET form, so the choice lives in the URL, survives a
 * reload mid-call and works without JavaScript.
 */
export function RangePicker({ holderId, changeId, venues, venueId, from, to, today, maxDays }: RangePickerProps) {
  return (
    <Form method="get" className="flex flex-wrap items-end gap-4">
      <input type="hidden" name="holder" value={holderId} />
      {changeId ? <input type="hidden" name="change" value={changeId} /> : null}
      <SelectField
        label="会場"
        name="venue"
        placeholder="すべての会場"
        options={venues.map((v) => ({ value: v.id, label: v.name }))}
        defaultValue={venueId ?? ""}
        className="min-w-64"
      />
      <TextField label="開始日" name="from" type="date" required min={today} defaultValue={from} className="w-56" />
      <TextField
        label="終了日"
        name="to"
        type="date"
        required
        min={today}
        defaultValue={to}
        hint={`${maxDays}日分まで`}
        className="w-56"
      />
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

/** The slots with room as one radio group, by day and venue; the current slot of a change is shown disabled. */
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
      {groupByDayAndVenue(slots).map((g) => (
        <div key={g.key} className="mb-4">
          <p className="mb-2 font-bold">
            {formatDateJa(g.startsAt)} {g.venueName}
          </p>
          <ul className="grid gap-2 sm:grid-cols-2">
            {g.slots.map((s) => {
              const blocker = slotBlocker(s, quota, currentSlotId);
              const left = quota === "phone" ? s.phoneCapacity - s.phoneBooked : s.webCapacity - s.webBooked;
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
                        {formatDateJa(s.startsAt)} {formatTimeJa(s.startsAt)}〜{formatTimeJa(s.endsAt)}
                      </span>
                      <span className="ml-2">{s.venueName}</span>
                      {services.size > 1 ? <span className="ml-2">{s.serviceName}</span> : null}
                      <span className="block tabular-nums">
                        残り{left}人（{quotaText(s)}）
                        {blocker ? <span className="ml-2 font-bold">（{blocker}）</span> : null}
                      </span>
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </fieldset>
  );
}

/** Slots (already earliest first) in runs of one day at one venue, in the order they come. */
function groupByDayAndVenue(slots: PageSlot[]) {
  const groups: { key: string; startsAt: Date; venueName: string; slots: PageSlot[] }[] = [];
  const byKey = new Map<string, (typeof groups)[number]>();
  for (const s of slots) {
    const key = `${tokyoDateOf(s.startsAt)}:${s.venueId}`;
    let g = byKey.get(key);
    if (!g) {
      g = { key, startsAt: s.startsAt, venueName: s.venueName, slots: [] };
      byKey.set(key, g);
      groups.push(g);
    }
    g.slots.push(s);
  }
  return groups;
}
