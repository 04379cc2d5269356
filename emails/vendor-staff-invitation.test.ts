import { describe, expect, it } from "vitest";
import { VENDOR_INVITATION_SUBJECT, buildVendorStaffInvitationEmail } from "./vendor-staff-invitation";

const props = {
  inviterName: "山田 花子",
  displayName: "佐藤 一郎",
  acceptUrl: "http://localhost:3000/vendor/invite/abcdefghijklmnopqrstuvwxyz234567",
  expiresAtText: "2025年4月1日(火) 18:00",
};

describe("vendor staff invitation e-mail", () => {
  it("carries the link once in the text part and explains single use, expiry, inviter and two-factor in Japanese", async () => {
    const { subject, html, text } = await buildVendorStaffInvitationEmail(props);
    expect(subject).toBe(VENDOR_INVITATION_SUBJECT);
    expect(html).toContain(`href="${props.acceptUrl}"`);
    expect(text.split(props.acceptUrl)).toHaveLength(2);
    for (const body of [html, text]) {
      expect(body).toContain("佐藤 一郎さん、窓口 ベンダーコンソールの運営スタッフに招待されました。");
      expect(body).toContain("招待した人：山田 花子");
      expect(body).toContain("有効期限（2025年4月1日(火) 18:00）を過ぎると使えなくなります。");
      expect(body).toContain("2段階認証が必須です");
    }
    expect(html).toContain('lang="ja"');
  });
});
