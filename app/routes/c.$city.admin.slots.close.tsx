import { Form, Link, data, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.slots.close";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { CloseResult } from "~/features/slots/components/close-result";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { isCalendarDate } from "~/lib/japan-time";
import { closeSlots, venueDaySummary } from "~/features/slots/slot-close.server";
import { closeDaySchema } from "~/features/slots/slots.schemas";
import { formatDateJa } from "~/lib/japan-time";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "会場の1日分を休止 | 管理画面" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const url = new URL(request.url);
  const venueId = url.searchParams.get("venueId") ?? "";
  const date = url.searchParams.get("date") ?? "";
  const summary = isCalendarDate(date)
    ? await venueDaySummary(getDb(), context.get(tenantContext).id, venueId, date)
    : null;
  if (!summary) throw data({ message: "会場または日付が見つかりません。" }, { status: 404 });
  return summary;
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const parsed = parseForm(closeDaySchema, await readForm(request));
  if (!parsed.ok) return parsed;
  const { venueId, date, reason } = parsed.data;
  const result = await closeSlots(
    getDb(),
    context.get(tenantContext).id,
    { kind: "venue-day", venueId, date },
    reason,
    { staffUserId: staff.user.id, ip: clientAddress(context) },
  );
  return result.ok ? result : formFailure({ _form: result.message }, { reason });
}

export default function CloseDayPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const { venue, date, open, booked, noContact } = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : null;
  const back = `/c/${params.city}/admin/slots?venueId=${venue.id}&from=${date}`;
  return (
    <>
      <PageHeader title="会場の1日分を休止" description={`${venue.name} ・ ${formatDateJa(date)}`} />
      <p className="mb-6">
        <Link to={back}>予約枠の一覧へ戻る</Link>
      </p>
      {actionData?.ok ? (
        <CloseResult
          closedSlots={actionData.closedSlots}
          cancelled={actionData.cancelled}
          unreachable={actionData.unreachable}
        />
      ) : open === 0 ? (
        <Notice variant="info">この日に受付中の枠はありません。</Notice>
      ) : (
        <Form method="post" className="max-w-2xl space-y-6" noValidate>
          <input type="hidden" name="venueId" value={venue.id} />
          <input type="hidden" name="date" value={date} />
          <Notice
            variant="warning"
            title={`受付中の${open}枠をすべて休止します。キャンセルした予約は元に戻せません。`}
            role="none"
          >
            <p>予約{booked}件がキャンセルになり、メール・LINEで連絡できる方にはお知らせが届きます。</p>
            <p>
              開始前の枠は、各枠のページからあとで受付を再開できますが、キャンセルになった方にはあらためて予約していただく必要があります。
            </p>
            {noContact > 0 ? (
              <p>
                このうち{noContact}
                人はメールもLINEも登録がありません。休止後に表示される一覧を見て、電話で連絡してください。
              </p>
            ) : null}
          </Notice>
          {failure?.errors._form ? <Notice variant="error">{failure.errors._form}</Notice> : null}
          <TextField
            label="休止の理由"
            name="reason"
            required
            hint="例: 台風の接近により会場を閉鎖するため（予約枠の一覧と操作記録に残ります）"
            defaultValue={failure?.values.reason}
            error={failure?.errors.reason ?? failure?.errors.venueId ?? failure?.errors.date}
          />
          <Button type="submit" variant="danger" disabled={busy}>
            {open}枠を休止して予約をキャンセルする
          </Button>
        </Form>
      )}
    </>
  );
}
