import { Form, Link, data, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.slots.$slotId";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { CloseResult, UnreachableList } from "~/features/slots/components/close-result";
import { quotaText, timeRangeText } from "~/features/slots/components/slot-text";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { closeSlots, closureCallList } from "~/features/slots/slot-close.server";
import { reopenSlot } from "~/features/slots/slot-reopen.server";
import { tokyoDateOf } from "~/lib/japan-time";
import { capacitySchema, closeSlotSchema, reopenSlotSchema } from "~/features/slots/slots.schemas";
import { getSlotDetail, updateSlotCapacity } from "~/features/slots/slots.server";
import { formatDateJa } from "~/lib/japan-time";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "予約枠の編集 | 管理画面" }];

export async function loader({ context, params }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenantId = context.get(tenantContext).id;
  const detail = await getSlotDetail(getDb(), tenantId, params.slotId);
  if (!detail) throw data({ message: "予約枠が見つかりません。" }, { status: 404 });
  const { slot } = detail;
  // A closed slot keeps showing whom the closure could not notify, until staff have phoned them all.
  const callList =
    slot.status === "closed"
      ? await closureCallList(getDb(), tenantId, slot.id, { staffUserId: staff.user.id, ip: clientAddress(context) })
      : null;
  return {
    slot: {
      id: slot.id,
      venueId: slot.venueId,
      startsAt: slot.startsAt.toISOString(),
      endsAt: slot.endsAt.toISOString(),
      webCapacity: slot.webCapacity,
      webBooked: slot.webBooked,
      phoneCapacity: slot.phoneCapacity,
      phoneBooked: slot.phoneBooked,
      status: slot.status,
      closedReason: slot.closedReason,
    },
    venueName: detail.venueName,
    serviceName: detail.serviceName,
    bookedReservations: detail.bookedReservations,
    callList: callList ?? [],
    // Only a slot still ahead can take bookings again; the action checks this once more.
    started: slot.startsAt.getTime() <= Date.now(),
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenantId = context.get(tenantContext).id;
  const actor = { staffUserId: staff.user.id, ip: clientAddress(context) };
  const form = await readForm(request);
  if (form.get("intent") === "capacity") {
    const intent = "capacity" as const;
    const parsed = parseForm(capacitySchema, form);
    if (!parsed.ok) return { intent, ...parsed };
    const result = await updateSlotCapacity(getDb(), tenantId, params.slotId, parsed.data, actor);
    return result.ok
      ? { intent, ok: true as const }
      : {
          intent,
          ...formFailure(result.errors, {
            webCapacity: String(parsed.data.webCapacity),
            phoneCapacity: String(parsed.data.phoneCapacity),
          }),
        };
  }
  if (form.get("intent") === "close") {
    const intent = "close" as const;
    const parsed = parseForm(closeSlotSchema, form);
    if (!parsed.ok) return { intent, ...parsed };
    const result = await closeSlots(
      getDb(),
      tenantId,
      { kind: "slot", slotId: params.slotId },
      parsed.data.reason,
      actor,
    );
    return result.ok
      ? { intent, ...result }
      : { intent, ...formFailure({ _form: result.message }, { reason: parsed.data.reason }) };
  }
  if (form.get("intent") === "reopen") {
    const intent = "reopen" as const;
    const parsed = parseForm(reopenSlotSchema, form);
    if (!parsed.ok) return { intent, ...parsed };
    const result = await reopenSlot(getDb(), tenantId, params.slotId, parsed.data.reason, actor);
    return result.ok
      ? { intent, ...result }
      : { intent, ...formFailure({ _form: result.message }, { reason: parsed.data.reason }) };
  }
  return formFailure({ _form: "操作を認識できませんでした。ページを再読み込みしてください。" });
}

export default function SlotPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const { slot, venueName, serviceName, bookedReservations, callList, started } = loaderData;
  const busy = useNavigation().state === "submitting";
  const capacity = actionData && "intent" in actionData && actionData.intent === "capacity" ? actionData : null;
  const close = actionData && "intent" in actionData && actionData.intent === "close" ? actionData : null;
  const capacityFailure = capacity && !capacity.ok ? capacity : null;
  const closeFailure = close && !close.ok ? close : null;
  const reopen = actionData && "intent" in actionData && actionData.intent === "reopen" ? actionData : null;
  const reopenFailure = reopen && !reopen.ok ? reopen : null;
  const date = tokyoDateOf(new Date(slot.startsAt));
  const back = `/c/${params.city}/admin/slots?venueId=${slot.venueId}&from=${date}`;
  return (
    <>
      <PageHeader
        title="予約枠の編集"
        description={`${venueName} ・ ${formatDateJa(slot.startsAt)} ${timeRangeText(slot.startsAt, slot.endsAt)} ・ ${serviceName}`}
      />
      <p className="mb-6">
        <Link to={back}>予約枠の一覧へ戻る</Link>
      </p>
      {actionData && !("intent" in actionData) && !actionData.ok ? (
        <Notice variant="error">{actionData.errors._form}</Notice>
      ) : null}
      <dl className="mb-8 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
        <dt className="font-bold">予約数／枠数</dt>
        <dd className="tabular-nums">{quotaText(slot)}</dd>
        <dt className="font-bold">状態</dt>
        <dd>{slot.status === "open" ? "受付中" : `休止（${slot.closedReason ?? ""}）`}</dd>
      </dl>

      {/* Reopened by someone else meanwhile: the form is gone, so its message goes on top. */}
      {reopenFailure?.errors._form && slot.status === "open" ? (
        <Notice variant="error">{reopenFailure.errors._form}</Notice>
      ) : null}
      {reopen?.ok ? (
        <Notice variant="success" title="受付を再開しました。">
          休止でキャンセルになった予約はキャンセルのままです。ご希望の方には、あらためて予約していただくようお伝えください。
        </Notice>
      ) : null}
      {close?.ok ? (
        <CloseResult closedSlots={close.closedSlots} cancelled={close.cancelled} unreachable={close.unreachable} />
      ) : callList.length > 0 ? (
        <UnreachableList
          unreachable={callList}
          note="この枠の休止でキャンセルになった方のうち、メールアドレスもLINEの登録もないためお知らせが届かない方です。電話で休止をお伝えしてください。"
        />
      ) : null}

      <div className="mt-8 grid gap-8 lg:grid-cols-2">
        <Card title="枠数を変更する">
          <Form method="post" className="space-y-6" noValidate>
            <input type="hidden" name="intent" value="capacity" />
            {capacity?.ok ? <Notice variant="success">枠数を保存しました。</Notice> : null}
            {capacityFailure?.errors._form ? <Notice variant="error">{capacityFailure.errors._form}</Notice> : null}
            <TextField
              label="Web枠（LINEを含む）"
              name="webCapacity"
              inputMode="numeric"
              required
              hint={`予約済み ${slot.webBooked}人。これより少なくはできません。`}
              defaultValue={capacityFailure?.values.webCapacity ?? String(slot.webCapacity)}
              error={capacityFailure?.errors.webCapacity}
            />
            <TextField
              label="電話枠"
              name="phoneCapacity"
              inputMode="numeric"
              required
              hint={`予約済み ${slot.phoneBooked}人。これより少なくはできません。`}
              defaultValue={capacityFailure?.values.phoneCapacity ?? String(slot.phoneCapacity)}
              error={capacityFailure?.errors.phoneCapacity}
            />
            <Button type="submit" disabled={busy}>
              枠数を保存する
            </Button>
          </Form>
        </Card>

        {slot.status === "open" ? (
          <Card title="この枠を休止する">
            <Form method="post" className="space-y-6" noValidate>
              <input type="hidden" name="intent" value="close" />
              {bookedReservations > 0 ? (
                <p>
                  休止すると、この枠の予約{bookedReservations}
                  件はすべてキャンセルになり、メール・LINEで連絡できる方にはお知らせが届きます。
                  <strong>キャンセルした予約は元に戻せません。</strong>
                  開始前の枠は、あとから受付を再開できますが、キャンセルになった方にはあらためて予約していただく必要があります。
                </p>
              ) : (
                <p>
                  この枠に予約はありません。休止すると、この枠では予約を受け付けなくなります。開始前の枠は、あとから受付を再開できます。
                </p>
              )}
              {closeFailure?.errors._form ? <Notice variant="error">{closeFailure.errors._form}</Notice> : null}
              <TextField
                label="休止の理由"
                name="reason"
                required
                hint="例: 医師の急病のため（予約枠の一覧と操作記録に残ります）"
                defaultValue={closeFailure?.values.reason}
                error={closeFailure?.errors.reason}
              />
              <Button type="submit" variant="danger" disabled={busy}>
                この枠を休止する
              </Button>
            </Form>
          </Card>
        ) : !started ? (
          <Card title="受付を再開する">
            <Form method="post" className="space-y-6" noValidate>
              <input type="hidden" name="intent" value="reopen" />
              <p>
                この枠で、ふたたび予約を受け付けます。<strong>休止でキャンセルになった予約は元に戻りません。</strong>
                その方々には、あらためて予約していただく必要があります。
              </p>
              {callList.length > 0 ? (
                <p>
                  再開すると、上の「電話で連絡が必要な方」の一覧はこのページに表示されなくなります。連絡を済ませてから再開してください。
                </p>
              ) : null}
              {reopenFailure?.errors._form ? <Notice variant="error">{reopenFailure.errors._form}</Notice> : null}
              <TextField
                label="再開の理由"
                name="reason"
                required
                hint="例: 台風の進路がそれたため（操作記録に残ります）"
                defaultValue={reopenFailure?.values.reason}
                error={reopenFailure?.errors.reason}
              />
              <Button type="submit" disabled={busy}>
                受付を再開する
              </Button>
            </Form>
          </Card>
        ) : null}
      </div>
    </>
  );
}
