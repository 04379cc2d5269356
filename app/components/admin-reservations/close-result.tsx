import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { formatDateTimeJa } from "~/lib/dates";
import type { Unreachable } from "~/features/slots/slot-close.server";

type Props = { closedSlots: number; cancelled: number; unreachable: Unreachable[] };

/**
 * What a close did, and who staff must phone: residents with neither e-mail nor LINE get no notice.
 * The list is shown once, right after closing (it is personal data and is not kept on the page).
 */
export function CloseResult({ closedSlots, cancelled, unreachable }: Props) {
  return (
    <div className="space-y-6">
      <Notice variant="success" title={`${closedSlots}枠を休止しました。`}>
        {cancelled > 0 ? `予約${cancelled}件をキャンセルし、メール・LINEで連絡できる方にはお知らせを順次送信します。` : "この枠に予約はありませんでした。"}
      </Notice>
      {unreachable.length > 0 ? (
        <section className="space-y-3">
          <h2 className="text-[1.25em] font-bold">電話で連絡が必要な方（{unreachable.length}人）</h2>
          <Notice variant="warning" role="none">
            次の方はメールアドレスもLINEの登録もないため、お知らせが届きません。電話で休止をお伝えしてください。この一覧はこの画面にしか表示されないため、印刷するか控えてから画面を離れてください。
          </Notice>
          <DataTable
            caption="電話で連絡が必要な方"
            captionHidden
            rows={unreachable}
            rowKey={(r) => r.reservationId}
            columns={[
              { header: "予約日時", cell: (r) => formatDateTimeJa(r.startsAt) },
              { header: "氏名", cell: (r) => r.name, rowHeader: true },
              { header: "電話番号", cell: (r) => (r.phone ? <a href={`tel:${r.phone.replace(/[^\d+]/g, "")}`}>{r.phone}</a> : "（未登録）") },
              { header: "予約番号", cell: (r) => <span className="font-mono">{r.confirmationCode}</span> },
            ]}
          />
        </section>
      ) : cancelled > 0 ? (
        <p>電話で連絡が必要な方（メール・LINEの登録がない方）はいません。</p>
      ) : null}
    </div>
  );
}
