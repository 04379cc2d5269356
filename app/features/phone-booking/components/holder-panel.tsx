import { Form, Link } from "react-router";
import { Button } from "~/components/ui/button";
import { DataTable, type DataTableColumn } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { CHANNEL_LABELS, doseLabel, STATUS_LABELS } from "~/lib/booking-labels";
import { tokyoDateOf } from "~/lib/japan-time";
import { formatBirthDateWithEra, formatDateJa, formatTimeJa } from "~/lib/japan-time";
import type { HolderReservation } from "../holder.server";

export function pageHref(params: Record<string, string | null | undefined>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return `?${q.toString()}`;
}

const when = (r: Pick<HolderReservation, "startsAt" | "endsAt">) =>
  `${formatDateJa(r.startsAt)} ${formatTimeJa(r.startsAt)}〜${formatTimeJa(r.endsAt)}`;

type Props = {
  holder: { id: string; birthDate: string };
  reservations: HolderReservation[];
  cancelling: HolderReservation | null;
  busy: boolean;
  cancelError?: string;
};

/** Step 2: who is on the line, and what they have booked — with change and cancel for active bookings. */
export function HolderPanel({ holder, reservations, cancelling, busy, cancelError }: Props) {
  const columns: DataTableColumn<HolderReservation>[] = [
    { header: "日時", rowHeader: true, cell: (r) => when(r) },
    { header: "会場", cell: (r) => r.venueName },
    { header: "内容", cell: (r) => `${r.serviceName}（${doseLabel(r.dose)}）` },
    {
      header: "受付",
      cell: (r) => (
        <>
          {CHANNEL_LABELS[r.channel]}
          {r.bookedByStaffName ? <span className="block text-[0.9375em]">担当：{r.bookedByStaffName}</span> : null}
          {r.proxyNote ? <span className="block text-[0.9375em]">{r.proxyNote}</span> : null}
        </>
      ),
    },
    {
      header: "連絡先",
      cell: (r) => (
        <>
          {r.contactName}
          <span className="block">{r.contactPhone}</span>
          {r.contactEmail ? <span className="block break-all">{r.contactEmail}</span> : null}
        </>
      ),
    },
    { header: "状態", cell: (r) => STATUS_LABELS[r.status] },
    { header: "予約番号", cell: (r) => <span className="font-mono">{r.confirmationCode}</span> },
    {
      header: "操作",
      cell: (r) =>
        r.status === "booked" ? (
          <span className="flex flex-wrap gap-2">
            <Link
              to={pageHref({ holder: holder.id, change: r.id, venue: r.venueId, from: tokyoDateOf(r.startsAt) })}
              className="min-h-tap inline-flex items-center font-bold"
            >
              日時を変更<span className="sr-only">（{when(r)}の予約）</span>
            </Link>
            <Link
              to={pageHref({ holder: holder.id, cancel: r.id })}
              className="min-h-tap inline-flex items-center font-bold text-error-2"
            >
              キャンセル<span className="sr-only">（{when(r)}の予約）</span>
            </Link>
          </span>
        ) : null,
    },
  ];

  return (
    <section aria-labelledby="holder-heading" className="mt-8">
      <h2 id="holder-heading" className="text-2xl font-bold">
        対象の方：{formatBirthDateWithEra(holder.birthDate)}生まれ
      </h2>
      <p className="mt-1">
        <Link to="?" className="font-bold">
          別の方を検索する
        </Link>
      </p>
      <DataTable
        className="mt-4"
        caption="この方の予約"
        columns={columns}
        rows={reservations}
        rowKey={(r) => r.id}
        emptyMessage="まだ予約はありません。"
      />
      {cancelling ? (
        <div className="mt-6 rounded-12 border-2 border-error-2 p-5" id="cancel-confirm">
          <h3 className="text-xl font-bold">この予約をキャンセルしますか？</h3>
          <p className="mt-2">
            {when(cancelling)} {cancelling.venueName}（{doseLabel(cancelling.dose)}、予約番号{" "}
            <span className="font-mono">{cancelling.confirmationCode}</span>）
          </p>
          <p className="mt-1">受付期限を過ぎていても、職員はキャンセルできます。ご本人に確認してから押してください。</p>
          {cancelError ? (
            <Notice variant="error" className="mt-4">
              {cancelError}
            </Notice>
          ) : null}
          <Form method="post" className="mt-4 flex flex-wrap gap-3">
            <input type="hidden" name="intent" value="cancel" />
            <input type="hidden" name="holderId" value={holder.id} />
            <input type="hidden" name="reservationId" value={cancelling.id} />
            <Button type="submit" variant="danger" disabled={busy}>
              キャンセルする
            </Button>
            <Link to={pageHref({ holder: holder.id })} className="inline-flex min-h-12 items-center px-2 font-bold">
              やめる
            </Link>
          </Form>
        </div>
      ) : null}
    </section>
  );
}
