import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { renderEmail } from "./render.server";
import {
  StaffInvitationEmail,
  buildStaffInvitationEmail,
  staffInvitationSubject,
  type StaffInvitationProps,
} from "./staff-invitation";

const props: StaffInvitationProps = {
  cityName: "架空市",
  inviterName: "山田 花子",
  roleLabel: "予約担当",
  acceptUrl: "http://localhost:3000/c/kakuu/admin/invite/Zx9_ab-CD3fGh",
  expiresAtText: "2025年4月1日(火) 18:00",
};

describe("staff invitation e-mail", () => {
  it("builds the subject from the city name", () => {
    expect(staffInvitationSubject({ cityName: "架空市" })).toBe("【架空市】窓口 管理画面への招待");
  });

  it("puts the accept URL into the button, the HTML and the plain text", async () => {
    const { html, text } = await renderEmail(createElement(StaffInvitationEmail, props));
    expect(html).toContain(`href="${props.acceptUrl}"`);
    expect(html).toContain(`>${props.acceptUrl}</a>`);
    // Exactly once in the text part, so the mailbox page (and the e2e test) shows a single link.
    expect(text.split(props.acceptUrl)).toHaveLength(2);
    expect(html).toMatch(/^<!DOCTYPE html/);
    expect(html).toContain('lang="ja"');
  });

  it("explains single use, expiry, inviter and role in Japanese, in both bodies", async () => {
    const { subject, html, text } = await buildStaffInvitationEmail(props);
    expect(subject).toBe("【架空市】窓口 管理画面への招待");
    for (const body of [html, text]) {
      expect(body).toContain("架空市");
      expect(body).toContain("このリンクは1回だけ使えます。");
      expect(body).toContain("有効期限（2025年4月1日(火) 18:00）を過ぎると使えなくなります。");
      expect(body).toContain("山田 花子");
      expect(body).toContain("予約担当");
      expect(body).toContain("このメールは送信専用です。");
    }
    expect(html).toContain("招待を受ける");
    // The plain-text part is for humans: no markup may leak into it.
    expect(text).not.toMatch(/<[a-z!/]/i);
  });

  it("reads naturally when the vendor is the inviter", async () => {
    const { text } = await buildStaffInvitationEmail({ ...props, inviterName: "運営事業者" });
    expect(text).toContain("招待した人：運営事業者");
  });

  it("escapes markup in the props rather than injecting it", async () => {
    const { html } = await buildStaffInvitationEmail({ ...props, inviterName: "<script>alert(1)</script>" });
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;");
  });
});
