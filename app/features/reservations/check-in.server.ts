import { createEvent } from "ics";
import { REFERENCE_LANGUAGE, t } from "~/lib/i18n";
import QRCode from "qrcode";

/**
 * What a resident takes away from the done page (ADR 033): the booked time as an .ics file for the
 * phone's calendar, and the confirmation code as a QR code the venue scans at check-in.
 */

/** The code as an SVG QR code. qrcode draws with fill/stroke attributes only: no inline style for the CSP. */
export function checkInQrSvg(code: string): Promise<string> {
  // "M" error correction: survives a scuffed or dim phone screen; the code is only 8 characters.
  return QRCode.toString(code, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

type CalendarInput = {
  code: string;
  serviceName: string;
  dose: number;
  startsAt: Date;
  endsAt: Date;
  venue: { name: string; address: string };
  cityName: string;
  manageUrl: string;
  /** The page language the resident booked in (the event's title and notes). */
  lang?: string;
};

const utcParts = (d: Date): [number, number, number, number, number] => [
  d.getUTCFullYear(),
  d.getUTCMonth() + 1,
  d.getUTCDate(),
  d.getUTCHours(),
  d.getUTCMinutes(),
];

/**
 * One VEVENT in UTC ("DTSTART:20261210T050000Z"): a floating local time would move with a phone
 * set to another time zone, and the ics package writes no VTIMEZONE for Asia/Tokyo. Calendar apps
 * show it at the right hour in Japan. The UID is stable per booking, so re-importing updates it.
 */
export function calendarFile(input: CalendarInput): string {
  const lang = input.lang ?? REFERENCE_LANGUAGE;
  const { error, value } = createEvent({
    uid: `${input.code}@madoguchi`,
    start: utcParts(input.startsAt),
    startInputType: "utc",
    startOutputType: "utc",
    end: utcParts(input.endsAt),
    endInputType: "utc",
    endOutputType: "utc",
    title: t(lang, "booking:ics.title", {
      service: input.serviceName,
      dose: t(lang, "booking:dose", { count: input.dose }),
    }),
    location: `${input.venue.name} ${input.venue.address}`,
    description: t(lang, "booking:ics.description", { code: input.code, url: input.manageUrl }),
    organizer: { name: input.cityName },
    productId: "madoguchi",
    calName: input.cityName,
  });
  if (error || !value) throw error ?? new Error("ics: no output");
  return value;
}
