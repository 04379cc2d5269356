import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { DataTable, type DataTableColumn } from "~/components/ui/data-table";
import { formatTimeJa } from "~/lib/japan-time";
import { CHANNEL_LABELS, doseLabel, STATUS_LABELS } from "~/lib/booking-labels";
import type { VenueDayRow } from "../venue-day.server";

type Props = {
  venueId: string;
  date: string;
  today: string;
  rows: VenueDayRow[];
  busy: boolean;
  /** The answer to the last attendance POST, shown in the row it was about. */
  result: { reservationId: string; message: string } | null;
};

/**
 * The check-in list. One small POST form per row: it works without JavaScript and a mark for one
 * resident can never carry another row's state along.
 */
export function AttendanceTable({ venueId, date, today, rows, busy, result }: Props) {
  const canMark = date <= today;
  const canUndo = date === today;
  const columns: DataTableColumn<VenueDayRow>[] = [
    { header: "時刻", cell: (r) => `${formatTimeJa(r.startsAt)}〜${formatTimeJa(r.endsAt)}` },
    { header: "氏名", rowHeader: true, cell: (r) => r.contactName },
    { header: "電話番号", cell: (r) => r.contactPhone },
    { header: "回数", cell: (r) => doseLabel(r.dose) },
    { header: "受付経路", cell: (r) => CHANNEL_LABELS[r.channel] },
    {
      header: "状態",
      cell: (r) => (
        <span className={r.status === "cancelled" ? "text-solid-gray-700" : "font-bold"}>
          {STATUS_LABELS[r.status]}
          {r.attendedAt ? <span className="ml-1 font-normal tabular-nums">{formatTimeJa(r.attendedAt)}</span> : null}
        </span>
      ),
    },
    {
      header: "来場の記録",
      cell: (r) => (
        <>
          <RowActions row={r} venueId={venueId} date={date} canMark={canMark} canUndo={canUndo} busy={busy} />
          {result?.reservationId === r.id ? (
            <p role="alert" className="mt-2 font-bold text-error-2">
              {result.message}
            </p>
          ) : null}
        </>
      ),
    },
  ];
  return (
    <DataTable
      caption="予約一覧"
      captionHidden
      columns={columns}
      rows={rows}
      rowKey={(r) => r.id}
      emptyMessage="この日のこの会場の予約はありません。"
    />
  );
}

function RowActions({
  row,
  venueId,
  date,
  canMark,
  canUndo,
  busy,
}: {
  row: VenueDayRow;
  venueId: string;
  date: string;
  canMark: boolean;
  canUndo: boolean;
  busy: boolean;
}) {
  const hidden = (
    <>
      <input type="hidden" name="venue" value={venueId} />
      <input type="hidden" name="date" value={date} />
      <input type="hidden" name="reservationId" value={row.id} />
    </>
  );
  const who = <span className="sr-only">（{row.contactName}さん）</span>;
  if (row.status === "booked" && canMark) {
    return (
      <Form method="post" preventScrollReset className="flex flex-wrap gap-2">
        {hidden}
        <Button type="submit" name="mark" value="attended" disabled={busy}>
          来場{who}
        </Button>
        <Button type="submit" name="mark" value="no_show" variant="secondary" disabled={busy}>
          来場なし{who}
        </Button>
      </Form>
    );
  }
  if ((row.status === "attended" || row.status === "no_show") && canUndo) {
    return (
      <Form method="post" preventScrollReset>
        {hidden}
        <Button type="submit" name="mark" value="booked" variant="secondary" disabled={busy}>
          記録を取り消す{who}
        </Button>
      </Form>
    );
  }
  return null;
}
