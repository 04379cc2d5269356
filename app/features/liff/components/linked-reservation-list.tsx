import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { CurrentCityContact } from "~/components/city-contact";
import { Notice } from "~/components/ui/notice";
import { CHANNEL_LABELS, doseLabel } from "~/lib/booking-labels";
import { ReservationSummary } from "~/features/reservations/components/reservation-summary";
import type { LinkedReservation } from "../linked-reservations.server";

/** "My reservation" for a verified LINE user: the reservations linked to this LINE account, no ticket number asked. */
export function LinkedReservationList({ reservations }: { reservations: LinkedReservation[] }) {
  return (
    <section aria-labelledby="linked-heading" className="mb-10">
      <h2 id="linked-heading" className="mb-4 text-[1.25em]">
        このLINEアカウントに連携している予約
      </h2>
      {reservations.length === 0 ? (
        <Notice variant="info" role="none">
          このLINEアカウントに連携している予約はありません。予約のときに「このLINEアカウントに予約を連携する」を選ぶと、ここに表示されます。
        </Notice>
      ) : (
        <ul className="flex flex-col gap-6">
          {reservations.map((r) => (
            <li key={r.id}>
              <Card title={`${r.serviceName}（${doseLabel(r.dose)}）`} headingLevel={3}>
                <ReservationSummary
                  rows={[
                    { label: "日時", value: r.when },
                    { label: "会場", value: `${r.venue.name}（${r.venue.address}）` },
                    {
                      label: "予約番号",
                      value: <span className="font-mono font-bold tracking-[0.1em]">{r.confirmationCode}</span>,
                    },
                    { label: "予約方法", value: CHANNEL_LABELS[r.channel] },
                  ]}
                />
                <div className="mt-4 flex flex-col gap-3 sm:flex-row sm:flex-wrap">
                  {r.changeable ? (
                    <>
                      <OpenButton
                        id={r.id}
                        to="change"
                        label="日時・会場を変更する"
                        aria={`${doseLabel(r.dose)}の日時・会場を変更する`}
                      />
                      <OpenButton
                        id={r.id}
                        to="cancel"
                        label="キャンセルする"
                        aria={`${doseLabel(r.dose)}の予約をキャンセルする`}
                        variant="secondary"
                      />
                    </>
                  ) : (
                    <>
                      <p className="font-bold">
                        変更・キャンセルの受付期限（接種日時の{r.changeCutoffHours}
                        時間前）を過ぎています。お手数ですが電話窓口へご連絡ください。
                      </p>
                      <CurrentCityContact title="電話窓口" headingLevel={4} />
                    </>
                  )}
                  <Form method="post">
                    <input type="hidden" name="intent" value="unlink-line" />
                    <input type="hidden" name="reservationId" value={r.id} />
                    <Button
                      type="submit"
                      variant="secondary"
                      aria-label={`${doseLabel(r.dose)}の予約とLINEとの連携を解除する`}
                    >
                      LINEとの連携を解除する
                    </Button>
                  </Form>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function OpenButton({
  id,
  to,
  label,
  aria,
  variant,
}: {
  id: string;
  to: "change" | "cancel";
  label: string;
  aria: string;
  variant?: "secondary";
}) {
  // A POST, not a link: the server checks the LINE link before it opens the holder's pages.
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="open-linked" />
      <input type="hidden" name="reservationId" value={id} />
      <input type="hidden" name="to" value={to} />
      <Button type="submit" variant={variant} aria-label={aria}>
        {label}
      </Button>
    </Form>
  );
}

/** The LINE row and button under one of the holder's reservations (after the ticket check). */
export function HolderLineLink({
  reservationId,
  state,
  lineIdentified,
  doseText,
}: {
  reservationId: string;
  state: "mine" | "other" | "none";
  lineIdentified: boolean;
  doseText: string;
}) {
  if (state === "none" && !lineIdentified) return null;
  return (
    <div className="mt-4 flex flex-col gap-2">
      <p>
        <span className="font-bold">LINE連携：</span>
        {state === "mine"
          ? "このLINEアカウントに連携しています（お知らせはLINEに届きます）"
          : state === "other"
            ? "別のLINEアカウントに連携しています"
            : "連携していません"}
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value={state === "none" ? "link-line" : "unlink-line"} />
        <input type="hidden" name="reservationId" value={reservationId} />
        <Button
          type="submit"
          variant="secondary"
          aria-label={
            state === "none"
              ? `${doseText}の予約をこのLINEアカウントに連携する`
              : `${doseText}の予約とLINEとの連携を解除する`
          }
        >
          {state === "none" ? "このLINEアカウントに連携する" : "LINEとの連携を解除する"}
        </Button>
      </Form>
    </div>
  );
}
