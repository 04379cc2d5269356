import { describe, expect, it } from "vitest";
import { buildReservationNoticeEmail, type ReservationNoticeProps } from "./reservation-notice";
import { buildReservationLinkEmail } from "./reservation-link";

const props: ReservationNoticeProps = {
  kind: "confirmed",
  lang: "en",
  cityName: "架空市",
  serviceName: "新型コロナワクチン接種",
  contactName: "Alex Smith",
  confirmationCode: "AB12CD34",
  dose: 1,
  venueName: "中央公民館",
  venueAddress: "本町1-1",
  startsAtText: "Wed 2 December 2026, 9:30",
  whatToBring: "接種券",
  manageUrl: "http://madoguchi.test/c/kakuu/reservation",
  contact: {
    phones: [{ label: "コールセンター", number: "0736-00-1234", hours: "9:00〜17:00" }],
    webUrl: null,
    disasterUrl: null,
    disasterPhone: null,
  },
};

describe("reservation notice e-mails in the reservation's language", () => {
  it("confirmation in English: subject, heading, facts, links and the city's numbers", async () => {
    const { subject, text } = await buildReservationNoticeEmail(props);
    expect(subject).toBe("[架空市] 新型コロナワクチン接種: Your booking is confirmed");
    expect(text).toContain("Dear Alex Smith,");
    expect(text).toContain("新型コロナワクチン接種 (dose 1)");
    expect(text).toContain("We will send news about this booking (changes, cancellations) to this e-mail address.");
    expect(text).toContain(`View, change or cancel your booking: ${props.manageUrl}`);
    expect(text).toContain("Questions by phone");
    expect(text).toContain("0736-00-1234");
  });

  it("each kind has its own heading in each language; a closed slot apologises and points to a new booking", async () => {
    const subjects = await Promise.all(
      (["changed", "cancelled", "slot-closed"] as const).map(
        async (kind) => (await buildReservationNoticeEmail({ ...props, kind })).subject,
      ),
    );
    expect(subjects).toEqual([
      "[架空市] 新型コロナワクチン接種: Your booking has been changed",
      "[架空市] 新型コロナワクチン接種: Your booking has been cancelled",
      "[架空市] 新型コロナワクチン接種: Your booked session has been cancelled",
    ]);
    const closed = await buildReservationNoticeEmail({ ...props, kind: "slot-closed", lang: "ja" });
    expect(closed.subject).toBe("【架空市】新型コロナワクチン接種 予約していた日時が中止になりました");
    expect(closed.text).toContain("別の日時でご予約ください");
    expect(closed.text).toContain(`新しい予約はこちら：${props.manageUrl}`);
    expect(closed.text).not.toContain("持ち物");
    const easy = await buildReservationNoticeEmail({ ...props, lang: "ja-x-easy" });
    expect(easy.subject).toContain("予約（よやく）が できました");
  });

  it("the reservation link mail in English", async () => {
    const { subject, text } = await buildReservationLinkEmail({
      lang: "en",
      cityName: "架空市",
      linkUrl: "http://madoguchi.test/c/kakuu/reservation/open/x",
      expiresAtText: "Wed 1 April 2026, 18:30",
    });
    expect(subject).toBe("[架空市] Link to view or change your booking");
    expect(text).toContain("This link works once only, and stops working after Wed 1 April 2026, 18:30.");
    expect(text).not.toMatch(/予約|リンク/);
  });
});
