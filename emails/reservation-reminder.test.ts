import { describe, expect, it } from "vitest";
import { buildReservationReminderEmail, type ReservationReminderProps } from "./reservation-reminder";

const props: ReservationReminderProps = {
  lang: "ja",
  cityName: "架空市",
  serviceName: "新型コロナワクチン接種",
  contactName: "紀ノ川 花子",
  confirmationCode: "AB12CD34",
  dose: 2,
  venueName: "中央公民館",
  venueAddress: "本町1-1",
  accessNotes: "駐車場80台",
  startsAtText: "令和8年12月2日(水) 9:30",
  whatToBring: "接種券、本人確認書類",
  manageUrl: "http://madoguchi.test/c/kakuu/reservation",
};

describe("reservation reminder e-mail", () => {
  it("names the date in the subject and gives venue, time, what to bring and the manage link in both bodies", async () => {
    const { subject, html, text } = await buildReservationReminderEmail(props);
    expect(subject).toBe("【架空市】新型コロナワクチン接種 ご予約日時のお知らせ（令和8年12月2日(水) 9:30）");
    expect(html).toContain('lang="ja"');
    for (const body of [html, text]) {
      expect(body).toContain("紀ノ川 花子 様");
      expect(body).toContain("新型コロナワクチン接種（2回目）");
      expect(body).toContain("日時：令和8年12月2日(水) 9:30");
      expect(body).toContain("会場：中央公民館（本町1-1）");
      expect(body).toContain("交通・駐車場：駐車場80台");
      expect(body).toContain("持ち物：接種券、本人確認書類");
      expect(body).toContain("予約番号：AB12CD34");
      expect(body).toContain(props.manageUrl);
      expect(body).toContain("このメールは送信専用です。");
    }
  });

  it("leaves out empty lines rather than printing a bare label", async () => {
    const { text } = await buildReservationReminderEmail({ ...props, whatToBring: "", accessNotes: "" });
    expect(text).not.toContain("持ち物：");
    expect(text).not.toContain("交通・駐車場：");
  });

  it("is written in English for a reservation made in English, subject and footer included", async () => {
    const { subject, html, text } = await buildReservationReminderEmail({
      ...props,
      lang: "en",
      contactName: "Alex Smith",
      startsAtText: "Wed 2 December 2026, 9:30",
    });
    expect(subject).toBe("[架空市] 新型コロナワクチン接種: your appointment on Wed 2 December 2026, 9:30");
    expect(html).toContain('lang="en"');
    expect(text).toContain("Dear Alex Smith,");
    expect(html).toContain("Your appointment is coming up");
    expect(text).toContain("Date and time: Wed 2 December 2026, 9:30");
    expect(text).toContain("Venue: 中央公民館 (本町1-1)");
    expect(text).toContain("What to bring: 接種券、本人確認書類");
    expect(text).toContain("Confirmation code: AB12CD34");
    expect(text).toContain("This e-mail was sent from an address that cannot receive replies.");
    expect(text).toContain("For questions by phone, please call the 架空市 office.");
    expect(text).not.toMatch(/日時|会場|予約番号|送信専用/);
  });

  it("puts furigana in parentheses for やさしい日本語", async () => {
    const { subject, text } = await buildReservationReminderEmail({ ...props, lang: "ja-x-easy" });
    expect(subject).toContain("予約（よやく）の 日（ひ）の お知（し）らせ");
    expect(text).toContain("紀ノ川 花子 さん");
    expect(text).toContain("持（も）って くる もの：接種券、本人確認書類");
    expect(text).not.toMatch(/[{|}]/);
  });
});
