import { describe, expect, it } from "vitest";
import { buildPasswordChangedEmail } from "./password-changed";
import { buildPasswordResetEmail } from "./password-reset";

const resetUrl = "http://localhost:3000/c/kakuu/admin/password/reset/abcdefghijklmnopqrstuvwxyz234567";

describe("password e-mails", () => {
  it("the reset mail carries its link once in the text part and explains single use, the hour and two-factor", async () => {
    const { subject, html, text } = await buildPasswordResetEmail({
      senderName: "架空市",
      siteName: "架空市の窓口 管理画面",
      resetUrl,
      expiresAtText: "2026年4月1日(水) 18:00",
    });
    expect(subject).toBe("【架空市】パスワードの再設定");
    expect(html).toContain(`href="${resetUrl}"`);
    expect(text.split(resetUrl)).toHaveLength(2);
    for (const body of [html, text]) {
      expect(body).toContain("架空市の窓口 管理画面で、このアドレスのアカウントのパスワード再設定が依頼されました。");
      expect(body).toContain(
        "このリンクは1回だけ使えます。有効期限（2026年4月1日(水) 18:00）を過ぎると使えなくなります。",
      );
      expect(body).toContain("確認コードが必要です");
    }
    expect(text).not.toMatch(/<[a-z!/]/i);
  });

  it("the changed notice names the time and where to recover if it was not the owner", async () => {
    const forgotUrl = "http://localhost:3000/vendor/password/forgot";
    const { subject, text } = await buildPasswordChangedEmail({
      senderName: "窓口 ベンダーコンソール",
      siteName: "窓口 ベンダーコンソール",
      changedAtText: "2026年4月1日(水) 18:00",
      forgotUrl,
    });
    expect(subject).toBe("【窓口 ベンダーコンソール】パスワードが変更されました");
    expect(text).toContain(
      "2026年4月1日(水) 18:00に、窓口 ベンダーコンソールのアカウントのパスワードが変更されました。",
    );
    expect(text).toContain(forgotUrl);
    expect(text).toContain("心当たりがない場合は");
  });
});
