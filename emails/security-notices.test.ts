import { describe, expect, it } from "vitest";
import { buildLoginAlertEmail } from "./login-alert";
import { buildReservationLinkEmail } from "./reservation-link";

describe("login alert and reservation link e-mails (ADR 026, 027)", () => {
  it("the login alert says the owner is not locked out at their usual place, and where to recover", async () => {
    const forgotUrl = "http://localhost:3000/c/kakuu/admin/password/forgot";
    const { subject, text } = await buildLoginAlertEmail({
      senderName: "架空市",
      siteName: "架空市の窓口 管理画面",
      atText: "2026年4月1日(水) 18:00",
      forgotUrl,
    });
    expect(subject).toBe("【架空市】ログインの失敗が続いています");
    expect(text).toContain("2026年4月1日(水) 18:00までの1時間に、架空市の窓口 管理画面のあなたのアカウントへ");
    expect(text).toContain("これまでログインしたことのある端末・ネットワークからは、いつもどおりログインできます。");
    expect(text).toContain(forgotUrl);
    expect(text).not.toMatch(/<[a-z!/]/i);
  });

  it("the reservation link mail carries the link once in text and explains single use and expiry", async () => {
    const linkUrl = "http://localhost:3000/c/kakuu/reservation/open/abcdefghijklmnopqrstuvwxyz234567";
    const { subject, html, text } = await buildReservationLinkEmail({
      lang: "ja",
      cityName: "架空市",
      linkUrl,
      expiresAtText: "2026年4月1日(水) 18:30",
    });
    expect(subject).toBe("【架空市】予約の確認・変更用のリンク");
    expect(html).toContain(`href="${linkUrl}"`);
    expect(text.split(linkUrl)).toHaveLength(2);
    expect(text).toContain(
      "このリンクは1回だけ使えます。有効期限（2026年4月1日(水) 18:30）を過ぎると使えなくなります。",
    );
  });
});
