import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, passwordResets, vendorAuditLog } from "#db/schema/index";
import { loginVendor } from "~/auth/login.server";
import { CHANGE_THROTTLED, CURRENT_PASSWORD_WRONG } from "~/auth/password/change.server";
import { FORGOT_ANSWER } from "~/auth/password/reset.server";
import { createSession, validateSessionToken } from "~/auth/session.server";
import { secondFactorState } from "~/auth/two-factor/two-factor.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { closeRedis } from "~/lib/redis.server";
import { vendorContext } from "~/tenants/context";
import { makeVendor } from "#tests/factories/staff";
import { enrolTotp } from "#tests/factories/two-factor";
import { clearMailbox, readMailbox, startSmtpCapture } from "#tests/fakes/smtp-capture";
import { testDbs } from "#tests/setup/db";
import { discardPendingPlatformRows, relayAndProcess } from "#tests/setup/jobs";

/**
 * Vendor staff passwords (ADR 022). Their mails have no city: they travel as platform outbox rows,
 * relayed here with `tenantId: null`; rows another file left unrelayed are dropped first.
 */
const dbs = testDbs();
const key = masterKey(env().MADOGUCHI_MASTER_KEY);
const mailDir = mkdtempSync(join(tmpdir(), "mdg-pw-vendor-"));
let smtp: { port: number; close(): Promise<void> };

beforeAll(async () => {
  await discardPendingPlatformRows(dbs.ownerDb);
  smtp = await startSmtpCapture({ port: 0, dir: mailDir });
});
afterAll(async () => {
  await smtp.close();
  await closeRedis();
  await dbs.close();
  rmSync(mailDir, { recursive: true, force: true });
});

const relayPlatform = () => relayAndProcess(dbs.appDb, { smtpPort: smtp.port, key, tenantId: null });
const newIp = () => `203.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const form = (url: string, fields: Record<string, string>) =>
  new Request(url, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded", "x-real-ip": newIp() },
  });

async function enrolledVendor() {
  const v = await makeVendor(dbs.appDb);
  await enrolTotp(dbs.appDb, key, "vendor", v.user.id);
  return v;
}

async function change(v: Awaited<ReturnType<typeof makeVendor>>, sessionId: string, fields: Record<string, string>) {
  const { action } = await import("~/routes/vendor.account");
  const context = new RouterContextProvider();
  context.set(vendorContext, { user: v.user, sessionId });
  const r = await action({
    request: form("http://x/vendor/account", { intent: "password", ...fields }),
    params: {},
    context,
  } as never);
  return (r as { passwordChange: unknown }).passwordChange;
}

async function forgot(email: string) {
  const { action } = await import("~/routes/vendor.password.forgot");
  return action({
    request: form("http://x/vendor/password/forgot", { email }),
    params: {},
    context: new RouterContextProvider(),
  } as never);
}

async function resetWith(token: string, password: string) {
  const { action, loader } = await import("~/routes/vendor.password.reset.$token");
  const page = await loader({
    request: new Request(`http://x/vendor/password/reset/${token}`),
    params: { token },
    context: new RouterContextProvider(),
  } as never);
  const result = await action({
    request: form(`http://x/vendor/password/reset/${token}`, { password, passwordConfirm: password }),
    params: { token },
    context: new RouterContextProvider(),
  } as never);
  return { page, result };
}

const vendorAudits = (id: string, action: string) =>
  dbs.ownerDb
    .select()
    .from(vendorAuditLog)
    .where(and(eq(vendorAuditLog.vendorUserId, id), eq(vendorAuditLog.action, action)));

describe("vendor staff passwords", () => {
  it("パスワードの変更 keeps this session, ends the others, audits, and mails through the platform outbox", async () => {
    const v = await enrolledVendor();
    const mine = await createSession(dbs.appDb, "vendor", v.user.id);
    const other = await createSession(dbs.appDb, "vendor", v.user.id);
    const here = (await validateSessionToken(dbs.appDb, "vendor", mine.token))!;
    expect(
      await change(v, here.sessionId, {
        currentPassword: v.password,
        password: "vendor-new-password-1",
        passwordConfirm: "vendor-new-password-1",
      }),
    ).toEqual({ ok: true, sessionsEnded: 1 });
    expect(await validateSessionToken(dbs.appDb, "vendor", mine.token)).not.toBeNull();
    expect(await validateSessionToken(dbs.appDb, "vendor", other.token)).toBeNull();
    expect((await vendorAudits(v.user.id, "vendor.password.change"))[0]!.detail).toMatchObject({ sessionsEnded: 1 });
    const rows = await dbs.ownerDb
      .select()
      .from(outbox)
      .where(and(isNull(outbox.tenantId), eq(outbox.jobName, "send-password-changed")));
    expect(rows.some((r) => r.payload.userId === v.user.id)).toBe(true);

    await clearMailbox(mailDir);
    await relayPlatform();
    const mails = (await readMailbox(mailDir)).filter((m) => m.to.includes(v.user.email));
    expect(mails.map((m) => m.subject)).toEqual(["【窓口 ベンダーコンソール】パスワードが変更されました"]);
    expect(mails[0]!.text).toContain("http://madoguchi.test/vendor/password/forgot");
  });

  it("limits wrong current passwords per account: after five, even the right one waits", async () => {
    const v = await enrolledVendor();
    const s = await createSession(dbs.appDb, "vendor", v.user.id);
    const sessionId = (await validateSessionToken(dbs.appDb, "vendor", s.token))!.sessionId;
    const attempt = (current: string) =>
      change(v, sessionId, {
        currentPassword: current,
        password: "vendor-new-password-2",
        passwordConfirm: "vendor-new-password-2",
      });
    for (let i = 0; i < 5; i++)
      expect(await attempt(`wrong-${i}`)).toMatchObject({
        ok: false,
        errors: { currentPassword: CURRENT_PASSWORD_WRONG },
      });
    expect(await attempt(v.password)).toMatchObject({ ok: false, errors: { currentPassword: CHANGE_THROTTLED } });
    expect((await loginVendor(dbs.appDb, { email: v.user.email, password: v.password, ip: newIp() })).ok).toBe(true);
  });

  it("パスワードをお忘れの方: same answer for an unknown address, a single-use link for a known one; all sessions end; two-factor still asked", async () => {
    const v = await enrolledVendor();
    const s1 = await createSession(dbs.appDb, "vendor", v.user.id);
    expect(await forgot("no-such-vendor@madoguchi.example")).toEqual({ ok: true, message: FORGOT_ANSWER });
    expect(await forgot(v.user.email)).toEqual({ ok: true, message: FORGOT_ANSWER });
    const rows = await dbs.ownerDb.select().from(passwordResets).where(eq(passwordResets.vendorUserId, v.user.id));
    expect(rows).toHaveLength(1);

    await clearMailbox(mailDir);
    await relayPlatform();
    const mails = await readMailbox(mailDir);
    expect(mails.some((m) => m.to.includes("no-such-vendor@madoguchi.example"))).toBe(false);
    const mail = mails.find((m) => m.to.includes(v.user.email))!;
    expect(mail.subject).toBe("【窓口 ベンダーコンソール】パスワードの再設定");
    const token = mail.text.match(/http:\/\/madoguchi\.test\/vendor\/password\/reset\/([a-z2-7]{32})/)![1]!;
    expect(rows[0]!.tokenHash).not.toContain(token);

    const { page, result } = await resetWith(token, "vendor-reset-password");
    expect(page).toEqual({ usable: true });
    expect((result as Response).headers.get("Location")).toBe("/vendor/login?reset=done");
    expect(await validateSessionToken(dbs.appDb, "vendor", s1.token)).toBeNull();
    expect(await vendorAudits(v.user.id, "vendor.password.reset")).toHaveLength(1);
    const again = await resetWith(token, "vendor-other-password");
    expect(again.page).toEqual({ usable: false });
    expect(again.result).toMatchObject({ ok: false });

    // Two-factor is not bypassed: the new password gives only a password-only session.
    const login = await loginVendor(dbs.appDb, { email: v.user.email, password: "vendor-reset-password", ip: newIp() });
    expect(login.ok && login.secondStep).toBe("verify");
    const session = (await validateSessionToken(dbs.appDb, "vendor", login.ok ? login.token : ""))!;
    expect(await secondFactorState(dbs.appDb, "vendor", v.user.id, session.sessionId)).toEqual({
      enrolled: true,
      verified: false,
    });
  });
});
