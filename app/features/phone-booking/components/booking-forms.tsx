import { Form, Link } from "react-router";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";
import { formatDateJa, formatTimeJa } from "~/lib/japan-time";
import type { HolderReservation } from "../holder.server";
import type { PageSlot } from "../phone-page.server";
import { pageHref } from "./holder-panel";
import { SlotRadios } from "./slot-choice";

type Failure = { errors: Record<string, string>; values: Record<string, string> } | null;

type BookFormProps = {
  /** Changes after each successful booking, so the next caller starts with fresh fields. */
  resetKey: string;
  holderId: string;
  slots: PageSlot[];
  idempotencyKey: string;
  lastContact: { name: string; phone: string; email: string } | null;
  failure: Failure;
  busy: boolean;
};

/**
 * Step 3: book into the phone quota for the caller. The hidden idempotency key is new on every
 * render of the page, so a double click or a resent POST books once. The form is remounted only
 * after a success: changing the venue or day, or a refusal, keeps what staff already typed.
 */
export function BookForm({ resetKey, holderId, slots, idempotencyKey, lastContact, failure, busy }: BookFormProps) {
  const v = failure?.values ?? {};
  const e = failure?.errors ?? {};
  return (
    <Form method="post" className="mt-6 space-y-6" noValidate key={resetKey}>
      <input type="hidden" name="intent" value="book" />
      <input type="hidden" name="holderId" value={holderId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {e._form ? <Notice variant="error">{e._form}</Notice> : null}
      <SlotRadios slots={slots} quota="phone" selected={v.slotId} error={e.slotId} />
      <TextField
        label="お名前（接種を受ける方）"
        name="name"
        required
        autoComplete="off"
        className="max-w-md"
        defaultValue={v.name ?? lastContact?.name}
        error={e.name}
      />
      <TextField
        label="電話番号"
        name="phone"
        type="tel"
        required
        autoComplete="off"
        className="max-w-sm"
        hint="会場の都合で中止になったときの連絡先です（例：073-123-4567）。"
        defaultValue={v.phone ?? lastContact?.phone}
        error={e.phone}
      />
      <TextField
        label="メールアドレス（任意）"
        name="email"
        type="email"
        autoComplete="off"
        className="max-w-md"
        defaultValue={v.email ?? lastContact?.email}
        error={e.email}
      />
      <TextField
        label="代理予約のメモ（任意）"
        name="proxyNote"
        autoComplete="off"
        className="max-w-xl"
        hint="ご本人以外からの電話のときに記入します（例：代理予約: 長女が電話）。"
        defaultValue={v.proxyNote}
        error={e.proxyNote}
      />
      <Button type="submit" disabled={busy}>
        電話枠で予約する
      </Button>
    </Form>
  );
}

type ChangeFormProps = {
  holderId: string;
  changing: HolderReservation;
  slots: PageSlot[];
  failure: Failure;
  busy: boolean;
};

/** Moving an existing reservation: one atomic step in the engine, from the reservation's own quota. */
export function ChangeForm({ holderId, changing, slots, failure, busy }: ChangeFormProps) {
  const e = failure?.errors ?? {};
  return (
    <Form method="post" className="mt-6 space-y-6" noValidate>
      <input type="hidden" name="intent" value="change" />
      <input type="hidden" name="holderId" value={holderId} />
      <input type="hidden" name="reservationId" value={changing.id} />
      <Notice variant="info" role="none" title="予約の日時を変更します">
        現在：{formatDateJa(changing.startsAt)} {formatTimeJa(changing.startsAt)}〜{formatTimeJa(changing.endsAt)}{" "}
        {changing.venueName}
        {changing.quota === "web" ? (
          <span className="block">この予約はWeb・LINEで受け付けたため、変更先もWeb枠の空きを使います。</span>
        ) : null}
      </Notice>
      {e._form ? <Notice variant="error">{e._form}</Notice> : null}
      <SlotRadios
        slots={slots}
        quota={changing.quota}
        currentSlotId={changing.slotId}
        selected={failure?.values.slotId}
        error={e.slotId}
      />
      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" disabled={busy}>
          この日時に変更する
        </Button>
        <Link to={pageHref({ holder: holderId })} className="font-bold">
          変更をやめる
        </Link>
      </div>
    </Form>
  );
}
