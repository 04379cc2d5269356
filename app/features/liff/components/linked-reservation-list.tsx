import type { ReactNode } from "react";
import { Form } from "react-router";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { CurrentCityContact } from "~/components/city-contact";
import { Notice } from "~/components/ui/notice";
import { useT } from "~/lib/i18n/react";
import { formatDateTimeIn } from "~/lib/japan-time";
import { ReservationSummary } from "~/features/reservations/components/reservation-summary";
import type { LinkedReservation } from "../linked-reservations.server";

/** "My reservation" for a verified LINE user: the reservations linked to this LINE account, no ticket number asked. */
export function LinkedReservationList({ reservations }: { reservations: LinkedReservation[] }) {
  const { lang, t, ts, raw } = useT();
  return (
    <section aria-labelledby="linked-heading" className="mb-10">
      <h2 id="linked-heading" className="mb-4 text-[1.25em]">
        {t("reservation:line.linkedTitle")}
      </h2>
      {reservations.length === 0 ? (
        <Notice variant="info" role="none">
          {t("reservation:line.linkedNone")}
        </Notice>
      ) : (
        <ul className="flex flex-col gap-6">
          {reservations.map((r) => (
            <li key={r.id}>
              <Card
                title={t("booking:summary.serviceDose", {
                  service: r.serviceName,
                  dose: raw("booking:dose", { count: r.dose }),
                })}
                headingLevel={3}
              >
                <ReservationSummary
                  rows={[
                    { key: "when", label: t("booking:summary.when"), value: formatDateTimeIn(lang, r.startsAt) },
                    { key: "venue", label: t("booking:summary.venue"), value: `${r.venue.name}（${r.venue.address}）` },
                    {
                      key: "code",
                      label: t("booking:summary.code"),
                      value: <span className="font-mono font-bold tracking-[0.1em]">{r.confirmationCode}</span>,
                    },
                    { key: "channel", label: t("booking:summary.channel"), value: t(`booking:channel.${r.channel}`) },
                  ]}
                />
                <div className="mt-4 flex flex-col gap-3 sm:flex-row sm:flex-wrap">
                  {r.changeable ? (
                    <>
                      <OpenButton
                        id={r.id}
                        to="change"
                        label={t("reservation:mine.change")}
                        dose={raw("booking:dose", { count: r.dose })}
                      />
                      <OpenButton
                        id={r.id}
                        to="cancel"
                        label={t("reservation:mine.cancel")}
                        dose={raw("booking:dose", { count: r.dose })}
                        variant="secondary"
                      />
                    </>
                  ) : (
                    <>
                      <p className="font-bold">{t("reservation:mine.pastCutoff", { hours: r.changeCutoffHours })}</p>
                      <CurrentCityContact title={ts("reservation:line.phoneTitle")} headingLevel={4} />
                    </>
                  )}
                  <Form method="post">
                    <input type="hidden" name="intent" value="unlink-line" />
                    <input type="hidden" name="reservationId" value={r.id} />
                    <Button type="submit" variant="secondary">
                      {t("reservation:line.unlink")}
                      <SrDose dose={raw("booking:dose", { count: r.dose })} />
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
  dose,
  variant,
}: {
  id: string;
  to: "change" | "cancel";
  label: ReactNode;
  /** Which dose, for screen readers: several cards have the same buttons. */
  dose: string;
  variant?: "secondary";
}) {
  // A POST, not a link: the server checks the LINE link before it opens the holder's pages.
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="open-linked" />
      <input type="hidden" name="reservationId" value={id} />
      <input type="hidden" name="to" value={to} />
      <Button type="submit" variant={variant}>
        {label}
        <SrDose dose={dose} />
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
  const { t } = useT();
  if (state === "none" && !lineIdentified) return null;
  return (
    <div className="mt-4 flex flex-col gap-2">
      <p>
        <span className="font-bold">{t("reservation:line.label")}</span>
        {t(`reservation:line.${state}`)}
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value={state === "none" ? "link-line" : "unlink-line"} />
        <input type="hidden" name="reservationId" value={reservationId} />
        <Button type="submit" variant="secondary">
          {t(state === "none" ? "reservation:line.link" : "reservation:line.unlink")}
          <SrDose dose={doseText} />
        </Button>
      </Form>
    </div>
  );
}

/** "（1回目）" read out after a button's text: the accessible name starts with what is visible (WCAG 2.5.3). */
function SrDose({ dose }: { dose: string }) {
  const { t } = useT();
  return <span className="sr-only">{t("booking:summary.srSuffix", { text: dose })}</span>;
}
