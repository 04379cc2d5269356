import type { ReactNode } from "react";
import { useT } from "~/lib/i18n/react";

export type SummaryRow = { label: ReactNode; value: ReactNode; key?: string };

/** A two-column list of what was (or is about to be) booked, in large type. */
export function ReservationSummary({ rows }: { rows: SummaryRow[] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-1 rounded-12 border-2 border-solid-gray-300 bg-white p-5 sm:grid-cols-[max-content_1fr]">
      {rows.map((r) => (
        <div key={r.key ?? String(r.label)} className="contents">
          <dt className="font-bold text-solid-gray-800 sm:py-1">{r.label}</dt>
          <dd className="mb-3 text-[1.125em] sm:mb-0 sm:py-1">{r.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Venue name, address and the notes a resident needs to get there. */
export function VenueDetails({
  venue,
}: {
  venue: { name: string; address: string; accessNotes?: string; barrierFreeNotes?: string };
}) {
  const { t } = useT();
  return (
    <>
      <span className="block font-bold">{venue.name}</span>
      <span className="block">{venue.address}</span>
      {venue.accessNotes ? (
        <span className="block text-[0.9em]">{t("booking:summary.access", { text: venue.accessNotes })}</span>
      ) : null}
      {venue.barrierFreeNotes ? (
        <span className="block text-[0.9em]">{t("booking:summary.barrierFree", { text: venue.barrierFreeNotes })}</span>
      ) : null}
    </>
  );
}
