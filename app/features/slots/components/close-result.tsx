import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { formatDateTimeJa } from "~/lib/japan-time";
import type { Unreachable } from "~/features/slots/slot-close.server";

type Props = { closedSlots: number; cancelled: number; unreachable: Unreachable[] };

/** What a close did, and who staff must phone: residents with neither e-mail nor LINE get no notice. */
export function CloseResult({ closedSlots, cancelled, unreachable }: Props) {
  return (
    <div className="space-y-6">
      <Notice variant="success" title={`${closedSlots}枠を休止しました。`}>
        {cancelled > 0
          ? `予約${cancelled}件をキャンセルし、メール・LINEで連絡できる方にはお知らせを順次送信します。`
          : "この枠に予約はありませんでした。"}
      </Notice>
      {unreachable.length > 0 ? (
        <UnreachableList
          unreachable={unreachable}
          note="次の方はメールアドレスもLINEの登録もないため、お知らせが届きません。電話で休止をお伝えしてください。この一覧は、休止した各予約枠のページでもあとから確認できます。"
        />
      ) : cancelled > 0 ? (
        <p>電話で連絡が必要な方（メール・LINEの登録がない方）はいません。</p>
      ) : null}
    </div>
  );
}

/** The residents a closure could not notify, with tap-to-call numbers (also on a closed slot's page). */
export function UnreachableList({ unreachable, note }: { unreachable: Unreachable[]; note: string }) {
  return (
    <section className="space-y-3">
      <h2 className="text-[1.25em] font-bold">電話で連絡が必要な方（{unreachable.length}人）</h2>
      <Notice variant="warning" role="none">
        {note}
      </Notice>
      <DataTable
        caption="電話で連絡が必要な方"
        captionHidden
        rows={unreachable}
        rowKey={(r) => r.reservationId}
        columns={[
          { header: "予約日時", cell: (r) => formatDateTimeJa(r.startsAt) },
          { header: "氏名", cell: (r) => r.name, rowHeader: true },
          {
            header: "電話番号",
            cell: (r) => (r.phone ? <a href={`tel:${r.phone.replace(/[^\d+]/g, "")}`}>{r.phone}</a> : "（未登録）"),
          },
          { header: "予約番号", cell: (r) => <span className="font-mono">{r.confirmationCode}</span> },
        ]}
      />
    </section>
  );
}
