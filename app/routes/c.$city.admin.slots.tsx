import { Form, Link } from "react-router";
import type { Route } from "./+types/c.$city.admin.slots";
import { requireRole } from "~/auth/guards.server";
import { quotaText, timeRangeText } from "~/features/slots/components/slot-text";
import { Button, ButtonLink } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { Pager } from "~/components/ui/pager";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { addDays } from "~/lib/japan-time";
import { WEEK_DAYS } from "~/features/slots/limits";
import { slotWeek } from "~/features/slots/slots.server";
import type { SlotRow } from "~/features/slots/slots.server";
import { formatDateJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "予約枠 | 管理画面" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  // Operators see the slots (they book phone callers into them); only admins change them.
  const staff = requireRole(context, ["admin", "operator"]);
  const url = new URL(request.url);
  const week = await slotWeek(getDb(), context.get(tenantContext).id, {
    venueId: url.searchParams.get("venueId"),
    from: url.searchParams.get("from"),
    page: url.searchParams.get("page"),
  });
  return { ...week, canEdit: staff.membership.role === "admin" };
}

export default function SlotsPage({ loaderData, params }: Route.ComponentProps) {
  const { venues, venue, from, days, canEdit, hasServices, paging } = loaderData;
  const shown = days.reduce((n, d) => n + d.slots.length, 0);
  const base = `/c/${params.city}/admin/slots`;
  const weekLink = (start: string) => `${base}?venueId=${venue?.id ?? ""}&from=${start}`;
  const columns = [
    { header: "時間", rowHeader: true, cell: (s: SlotRow) => timeRangeText(s.startsAt, s.endsAt) },
    { header: "サービス", cell: (s: SlotRow) => s.serviceName },
    { header: "予約数／枠数", cell: (s: SlotRow) => <span className="tabular-nums">{quotaText(s)}</span> },
    {
      header: "状態",
      cell: (s: SlotRow) => (s.status === "open" ? "受付中" : <strong>休止（{s.closedReason}）</strong>),
    },
    ...(canEdit
      ? [
          {
            header: "操作",
            cell: (s: SlotRow) => (
              <Link
                to={`${base}/${s.id}`}
                aria-label={`${timeRangeText(s.startsAt, s.endsAt)} ${s.serviceName}の枠を編集`}
              >
                編集
              </Link>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader
        title="予約枠"
        description="会場ごと・日ごとの予約枠です。数字は「予約数／枠数」で、Web（LINEを含む）と電話は別の枠です。"
        actions={
          canEdit ? (
            <>
              <ButtonLink to={`${base}/generate${venue ? `?venueId=${venue.id}` : ""}`}>枠をまとめて作成</ButtonLink>
              <ButtonLink to={`${base}/import`} variant="secondary">
                CSVで取り込む
              </ButtonLink>
            </>
          ) : null
        }
      />
      {venues.length === 0 ? (
        <Notice variant="info">
          まだ会場がありません。
          {canEdit ? (
            <Link to={`/c/${params.city}/admin/venues/new`}>会場を追加</Link>
          ) : (
            "管理者に会場の登録を依頼してください。"
          )}
        </Notice>
      ) : null}
      {venues.length > 0 && !hasServices ? (
        <Notice variant="info">
          まだサービスがありません。
          {canEdit ? <Link to={`/c/${params.city}/admin/services/new`}>サービスを追加</Link> : null}
        </Notice>
      ) : null}
      {venue ? (
        <>
          <Form method="get" className="mb-6 flex flex-wrap items-end gap-4">
            <SelectField
              label="会場"
              name="venueId"
              options={venues.map((v) => ({ value: v.id, label: v.active ? v.name : `${v.name}（停止中）` }))}
              defaultValue={venue.id}
              className="min-w-64"
            />
            <TextField label="表示開始日" name="from" type="date" defaultValue={from} className="max-w-56" />
            <Button type="submit" variant="secondary">
              表示する
            </Button>
          </Form>
          <nav aria-label="表示する週" className="mb-6 flex gap-6">
            <Link to={weekLink(addDays(from, -WEEK_DAYS))}>前の{WEEK_DAYS}日間</Link>
            <Link to={weekLink(addDays(from, WEEK_DAYS))}>次の{WEEK_DAYS}日間</Link>
          </nav>
          <h2 className="sr-only">{venue.name}の予約枠</h2>
          {paging.hasPrev || paging.hasNext ? (
            <p className="mb-4">この期間は枠が多いため、分けて表示しています。</p>
          ) : null}
          {days.length === 0 ? <p className="text-solid-gray-700">このページに枠はありません。</p> : null}
          <div className="space-y-8">
            {days.map((day) => (
              <section key={day.date} aria-labelledby={`day-${day.date}`}>
                <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
                  <h3 id={`day-${day.date}`} className="text-[1.125em] font-bold">
                    {formatDateJa(day.date)}
                  </h3>
                  {canEdit && day.slots.some((s) => s.status === "open") ? (
                    <Link to={`${base}/close?venueId=${venue.id}&date=${day.date}`} className="text-error-2">
                      この日の枠をすべて休止する
                    </Link>
                  ) : null}
                </div>
                {day.slots.length === 0 ? (
                  <p className="text-solid-gray-700">枠はありません。</p>
                ) : (
                  <DataTable
                    caption={`${formatDateJa(day.date)}の予約枠`}
                    captionHidden
                    rows={day.slots}
                    rowKey={(s) => s.id}
                    columns={columns}
                  />
                )}
              </section>
            ))}
          </div>
          <Pager {...paging} shown={shown} label="この期間の予約枠のページ" />
        </>
      ) : null}
    </>
  );
}
