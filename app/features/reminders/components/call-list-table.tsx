import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { DataTable, type DataTableColumn } from "~/components/ui/data-table";
import { formatDateTimeJa, formatTimeJa } from "~/lib/japan-time";
import type { CallListRow } from "../call-list.server";

type Row = Omit<CallListRow, "dueAt" | "startsAt" | "calledAt"> & {
  dueAt: string | Date;
  startsAt: string | Date;
  calledAt: string | Date | null;
};

type Props = {
  date: string;
  rows: Row[];
  busy: boolean;
  /** The answer to the last POST, shown in the row it was about. */
  result: { key: string; message: string } | null;
};

export const rowKey = (r: Pick<Row, "reservationId" | "slotId" | "ruleKey">) =>
  `${r.reservationId}:${r.slotId}:${r.ruleKey}`;

/**
 * The list as printed and as worked through at the desk: one small POST form per row (works
 * without JavaScript). On paper the buttons disappear and a box to tick by hand takes their place.
 */
export function CallListTable({ date, rows, busy, result }: Props) {
  const columns: DataTableColumn<Row>[] = [
    {
      header: "お知らせ",
      cell: (r) => (
        <>
          <span className="whitespace-nowrap tabular-nums">{`${formatTimeJa(r.dueAt)}（${r.ruleLabel}）`}</span>
          {/* Listed because the LINE/e-mail reminder failed for good: staff should know why this resident is here. */}
          {r.failReason ? <p className="text-sm font-bold">送信できず：{r.failReason}</p> : null}
        </>
      ),
    },
    { header: "氏名", rowHeader: true, cell: (r) => r.contactName },
    {
      header: "電話番号",
      cell: (r) => <span className="whitespace-nowrap tabular-nums">{r.contactPhone || "（未登録）"}</span>,
    },
    { header: "予約日時", cell: (r) => <span className="whitespace-nowrap">{formatDateTimeJa(r.startsAt)}</span> },
    { header: "会場", cell: (r) => r.venueName },
    { header: "予約番号", cell: (r) => <span className="font-mono">{r.confirmationCode}</span> },
    { header: "メモ", cell: (r) => r.proxyNote ?? "" },
    {
      header: "電話",
      cell: (r) => (
        <>
          {r.calledAt ? (
            <p className="font-bold">
              電話済み <span className="font-normal tabular-nums">{formatTimeJa(r.calledAt)}</span>
              {r.calledBy ? <span className="font-normal">（{r.calledBy}）</span> : null}
            </p>
          ) : (
            <span
              aria-hidden="true"
              className="hidden print:inline-block print:h-5 print:w-5 print:border print:border-black"
            />
          )}
          <Form method="post" preventScrollReset className="print:hidden">
            <input type="hidden" name="date" value={date} />
            <input type="hidden" name="reservationId" value={r.reservationId} />
            <input type="hidden" name="slotId" value={r.slotId} />
            <input type="hidden" name="rule" value={r.ruleKey} />
            {r.calledAt ? (
              <Button type="submit" name="intent" value="undo" variant="secondary" disabled={busy}>
                取り消す<span className="sr-only">（{r.contactName}さん）</span>
              </Button>
            ) : (
              <Button type="submit" name="intent" value="called" disabled={busy}>
                電話済み<span className="sr-only">（{r.contactName}さん）</span>
              </Button>
            )}
          </Form>
          {result?.key === rowKey(r) ? (
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
      caption="リマインダー電話リスト"
      captionHidden
      columns={columns}
      rows={rows}
      rowKey={rowKey}
      emptyMessage="この日に電話でお知らせする予約はありません。"
    />
  );
}
