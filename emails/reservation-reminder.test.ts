import { describe, expect, it } from "vitest";
import { buildReservationReminderEmail, type ReservationReminderProps } from "./reservation-reminder";

const props: ReservationReminderProps = {
  cityName: "架空市",
  serviceName: "新型コロナワクチン接種",
  contactName: "紀ノ川 花子",
  confirmationCode: "AB12CD34",
  dose: 2,
  venueName: "中央公民館",
  venueAddress: "本町1-1",
  accessNotes: "駐車場80台",
  startsAtText: "2026年12月2日(水) 9:30",
  whatToBring: "接種券、本人確認書類",
  manageUrl: "http://madoguchi.test/c/kakuu/reservation",
};

describe("reservation reminder e-mail", () => {
  it("names the date in the subject and gives venue, time, what to bring and the manage link in both bodies", async () => {
    const { subject, html, text } = await buildReservationReminderEmail(props);
    expect(subject).toBe("【架空市】新型コロナワクチン接種 ご予約日時のお知らせ（2026年12月2日(水) 9:30）");
    for (const body of [html, text]) {
      expect(body).toContain("紀ノ川 花子 様");
      expect(body).toContain("新型コロナワクチン接種（2回目）");
      expect(body).toContain("日時：2026年12月2日(水) 9:30");
      expect(body).toContain("会場：中央公民館（本町1-1）");
      expect(body).toContain("交通・駐車場：駐車場80台");
      expect(body).toContain("持ち物：接種券、本人確認書類");
      expect(body).toContain("予約番号：AB12CD34");
      expect(body).toContain(props.manageUrl);
    }
  });

  it("leaves out empty lines rather than printing a bare label", async () => {
    const { text } = await buildReservationReminderEmail({ ...props, whatToBring: "", accessNotes: "" });
    expect(text).not.toContain("持ち物：");
    expect(text).not.toContain("交通・駐車場：");
  });
});
