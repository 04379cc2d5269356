import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, memberships, outbox, passwordResets, staffUsers, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { loginStaff } from "~/auth/login.server";
import { CURRENT_PASSWORD_WRONG } from "~/auth/password/change.server";
import { FORGOT_ANSWER, FORGOT_MIN_MS, RESET_INVALID, requestPasswordReset } from "~/auth/password/reset.server";
import { createSession, validateSessionToken } from "~/auth/session.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { closeRedis } from "~/lib/redis.server";
import { staffContext, tenantContext } from "~/tenants/context";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { enrolTotp } from "#tests/factories/two-factor";
import { clearMailbox, readMailbox, startSmtpCapture } from "#tests/fakes/smtp-capture";
import { testDbs } from "#tests/setup/db";
import { relayAndProcess } from "#tests/setup/jobs";
import { purgeRetention } from "#jobs/processors/maintenance/purge-retention";

/**
 * City staff passwords (ADR 022) through the real route actions and loaders: パスワードの変更 on
 * the account page, パスワードをお忘れの方 and the mail's link, with the mails sent by the real worker
 * into the SMTP capture.
 */
const dbs = testDbs();
const key = masterKey(env().MADOGUCHI_MASTER_KEY);
const mailDir = mkdtempSync(join(tmpdir(), "mdg-pw-staff-"));
let smtp: { port: number; close(): Promise<void> };
let city: Tenant;

beforeAll(async () => {
  smtp = await startSmtpCapture({ port: 0, dir: mailDir });
  city = await makeTenant(dbs.appDb, { name: "再設定テスト市" });
});
afterAll(async () => {
  await smtp.close();
  await closeRedis();
  await dbs.close();
  rmSync(mailDir, { recursive: true, force: true });
});

const relayHere = () => relayAndProcess(dbs.appDb, { smtpPort: smtp.port, key, tenantId: city.id });
/** A fresh client address per case: the per-IP throttle of one case must not spill into the next. */
const newIp = () => `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const form = (url: string, fields: Record<string, string>, ip = newIp()) =>
  new Request(url, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded", "x-real-ip": ip },
  });

function cityContext() {
  const c = new RouterContextProvider();
  c.set(tenantContext, city);
  return c;
}

async function changeOnAccountPage(
  staff: Awaited<ReturnType<typeof makeStaff>>,
  sessionId: string,
  fields: Record<string, string>,
) {
  const { action } = await import("~/routes/c.$city.admin.account");
  const context = cityContext();
  context.set(staffContext, { user: staff.user, membership: staff.membership, sessionId });
  const r = await action({
    request: form(`http://x/c/${city.slug}/admin/account`, { intent: "password", ...fields }),
    params: { city: city.slug },
    context,
  } as never);
  return (r as { passwordChange: unknown }).passwordChange as {
    ok: boolean;
    sessionsEnded?: number;
    errors?: Record<string, string>;
    values?: Record<string, string>;
  };
}

async function forgot(email: string, ip = newIp()) {
  const { action } = await import("~/routes/c.$city.admin.password.forgot");
  const started = Date.now();
  const result = await action({
    request: form(`http://x/c/${city.slug}/admin/password/forgot`, { email }, ip),
    params: { city: city.slug },
    context: cityContext(),
  } as never);
  return { result, ms: Date.now() - started };
}

async function resetPage(token: string) {
  const { loader } = await import("~/routes/c.$city.admin.password.reset.$token");
  return loader({
    request: new Request(`http://x/c/${city.slug}/admin/password/reset/${token}`),
    params: { city: city.slug, token },
    context: cityContext(),
  } as never);
}

async function submitReset(token: string, password: string, passwordConfirm = password) {
  const { action } = await import("~/routes/c.$city.admin.password.reset.$token");
  return action({
    request: form(`http://x/c/${city.slug}/admin/password/reset/${token}`, { password, passwordConfirm }),
    params: { city: city.slug, token },
    context: cityContext(),
  } as never);
}

/** The link in the newest mail to this address. */
async function linkFor(email: string) {
  const mail = (await readMailbox(mailDir)).find((m) => m.to.includes(email));
  const match = mail?.text.match(/http:\/\/madoguchi\.test\/c\/([a-z0-9-]+)\/admin\/password\/reset\/([a-z2-7]{32})/);
  return { mail, slug: match?.[1], token: match?.[2] };
}

const audits = (userId: string, action: string) =>
  dbs.ownerDb
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.actorId, userId), eq(auditLog.action, action)));

describe("パスワードの変更 (city staff account page)", () => {
  it("changes the password, ends every other session but keeps this one, audits, and mails 「パスワードが変更されました」", async () => {
    const staff = await makeStaff(dbs.appDb, { tenantId: city.id });
    const current = await createSession(dbs.appDb, "staff", staff.user.id);
    const other1 = await createSession(dbs.appDb, "staff", staff.user.id);
    const other2 = await createSession(dbs.appDb, "staff", staff.user.id);
    const here = (await validateSessionToken(dbs.appDb, "staff", current.token))!;

    const r = await changeOnAccountPage(staff, here.sessionId, {
      currentPassword: staff.password,
      password: "a-brand-new-password",
      passwordConfirm: "a-brand-new-password",
    });
    expect(r).toEqual({ ok: true, sessionsEnded: 2 });
    expect(await validateSessionToken(dbs.appDb, "staff", current.token)).not.toBeNull();
    expect(await validateSessionToken(dbs.appDb, "staff", other1.token)).toBeNull();
    expect(await validateSessionToken(dbs.appDb, "staff", other2.token)).toBeNull();

    expect(
      (await loginStaff(dbs.appDb, { tenant: city, email: staff.user.email, password: staff.password, ip: newIp() }))
        .ok,
    ).toBe(false);
    expect(
      (
        await loginStaff(dbs.appDb, {
          tenant: city,
          email: staff.user.email,
          password: "a-brand-new-password",
          ip: newIp(),
        })
      ).ok,
    ).toBe(true);
    const [audit] = await audits(staff.user.id, "staff.password.change");
    expect(audit!.detail).toMatchObject({ sessionsEnded: 2 });

    await clearMailbox(mailDir);
    expect(await relayHere()).toMatchObject({ relayed: 1, failed: 0 });
    const [mail] = await readMailbox(mailDir);
    expect(mail!.to).toEqual([staff.user.email]);
    expect(mail!.subject).toBe("【再設定テスト市】パスワードが変更されました");
    expect(mail!.text).toContain("パスワードが変更されました");
    expect(mail!.text).toContain(`/c/${city.slug}/admin/password/forgot`);
  });

  it("refuses a wrong current password with a clear message, echoes nothing secret and changes nothing", async () => {
    const staff = await makeStaff(dbs.appDb, { tenantId: city.id });
    const current = await createSession(dbs.appDb, "staff", staff.user.id);
    const other = await createSession(dbs.appDb, "staff", staff.user.id);
    const here = (await validateSessionToken(dbs.appDb, "staff", current.token))!;
    const [before] = await dbs.ownerDb.select().from(staffUsers).where(eq(staffUsers.id, staff.user.id));

    const r = await changeOnAccountPage(staff, here.sessionId, {
      currentPassword: "not-my-password",
      password: "a-brand-new-password",
      passwordConfirm: "a-brand-new-password",
    });
    expect(r).toMatchObject({ ok: false, errors: { currentPassword: CURRENT_PASSWORD_WRONG } });
    expect(JSON.stringify(r)).not.toContain("not-my-password");
    expect(JSON.stringify(r)).not.toContain("a-brand-new-password");
    const [after] = await dbs.ownerDb.select().from(staffUsers).where(eq(staffUsers.id, staff.user.id));
    expect(after!.passwordHash).toBe(before!.passwordHash);
    expect(await validateSessionToken(dbs.appDb, "staff", other.token)).not.toBeNull();
    expect(await audits(staff.user.id, "staff.password.change")).toHaveLength(0);
  });

  it("holds the new password to the invitation's rules: 12 characters, typed twice the same", async () => {
    const staff = await makeStaff(dbs.appDb, { tenantId: city.id });
    const current = await createSession(dbs.appDb, "staff", staff.user.id);
    const here = (await validateSessionToken(dbs.appDb, "staff", current.token))!;
    const short = await changeOnAccountPage(staff, here.sessionId, {
      currentPassword: staff.password,
      password: "short-pw",
      passwordConfirm: "short-pw",
    });
    expect(short).toMatchObject({ ok: false, errors: { password: "パスワードは12文字以上で入力してください。" } });
    const mismatch = await changeOnAccountPage(staff, here.sessionId, {
      currentPassword: staff.password,
      password: "a-brand-new-password",
      passwordConfirm: "a-brand-new-passwort",
    });
    expect(mismatch).toMatchObject({ ok: false, errors: { passwordConfirm: "確認用のパスワードが一致しません。" } });
    expect(
      (await loginStaff(dbs.appDb, { tenant: city, email: staff.user.email, password: staff.password, ip: newIp() }))
        .ok,
    ).toBe(true);
  });
});

describe("パスワードをお忘れの方 (city staff)", () => {
  it("answers an unknown address exactly as a known one, after the same minimum time, and mails only the known one", async () => {
    const staff = await makeStaff(dbs.appDb, { tenantId: city.id });
    const unknown = await forgot("nobody-here@city.example");
    const known = await forgot(staff.user.email);
    expect(unknown.result).toEqual({ ok: true, message: FORGOT_ANSWER });
    expect(known.result).toEqual(unknown.result);
    expect(unknown.ms).toBeGreaterThanOrEqual(FORGOT_MIN_MS - 5);
    expect(known.ms).toBeGreaterThanOrEqual(FORGOT_MIN_MS - 5);

    const rows = await dbs.ownerDb.select().from(passwordResets).where(eq(passwordResets.tenantId, city.id));
    expect(rows.filter((r) => r.staffUserId === staff.user.id)).toHaveLength(1);
    await clearMailbox(mailDir);
    await relayHere();
    const mails = await readMailbox(mailDir);
    expect(mails.map((m) => m.to[0])).toEqual([staff.user.email]);
    const { mail, slug, token } = await linkFor(staff.user.email);
    expect(mail!.subject).toBe("【再設定テスト市】パスワードの再設定");
    expect(slug).toBe(city.slug);
    // Stored only as its hash: neither the row nor the outbox payload holds the token.
    const [row] = rows.filter((r) => r.staffUserId === staff.user.id);
    expect(JSON.stringify(row)).not.toContain(token!);
    const jobs = await dbs.ownerDb.select().from(outbox).where(eq(outbox.tenantId, city.id));
    expect(JSON.stringify(jobs)).not.toContain(token!);
  });

  it("sends nothing to a staff member of another city, nor to one removed from this city", async () => {
    const elsewhere = await makeTenant(dbs.appDb, { name: "よその町" });
    const stranger = await makeStaff(dbs.appDb, { tenantId: elsewhere.id });
    const removed = await makeStaff(dbs.appDb, { tenantId: city.id });
    await withTenant(dbs.appDb, city.id, (tx) =>
      tx.delete(memberships).where(eq(memberships.id, removed.membership.id)),
    );
    expect((await forgot(stranger.user.email)).result).toEqual({ ok: true, message: FORGOT_ANSWER });
    expect((await forgot(removed.user.email)).result).toEqual({ ok: true, message: FORGOT_ANSWER });
    expect(
      await dbs.ownerDb.select().from(passwordResets).where(eq(passwordResets.staffUserId, stranger.user.id)),
    ).toHaveLength(0);
    expect(
      await dbs.ownerDb.select().from(passwordResets).where(eq(passwordResets.staffUserId, removed.user.id)),
    ).toHaveLength(0);
  });

  it("the link sets a new password once, ends every session, audits, keeps two-factor, and is dead afterwards", async () => {
    const staff = await makeStaff(dbs.appDb, { tenantId: city.id });
    await enrolTotp(dbs.appDb, key, "staff", staff.user.id);
    const s1 = await createSession(dbs.appDb, "staff", staff.user.id);
    const s2 = await createSession(dbs.appDb, "staff", staff.user.id);
    await forgot(staff.user.email);
    await relayHere();
    const { token } = await linkFor(staff.user.email);
    expect(await resetPage(token!)).toMatchObject({ usable: true });

    expect(await submitReset(token!, "too-short")).toMatchObject({
      ok: false,
      errors: { password: "パスワードは12文字以上で入力してください。" },
    });
    const done = (await submitReset(token!, "reset-to-this-password")) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`/c/${city.slug}/admin/login?reset=done`);
    expect(done.headers.get("Set-Cookie")).toContain("mdg_staff=;");
    expect(await validateSessionToken(dbs.appDb, "staff", s1.token)).toBeNull();
    expect(await validateSessionToken(dbs.appDb, "staff", s2.token)).toBeNull();
    const [audit] = await audits(staff.user.id, "staff.password.reset");
    expect(audit!.detail).toMatchObject({ sessionsEnded: 2 });

    // Single use.
    expect(await resetPage(token!)).toMatchObject({ usable: false });
    expect(await submitReset(token!, "and-another-password")).toMatchObject({
      ok: false,
      errors: { _form: RESET_INVALID },
    });
    // Two-factor is not bypassed: the new password leads to the second step.
    const login = await loginStaff(dbs.appDb, {
      tenant: city,
      email: staff.user.email,
      password: "reset-to-this-password",
      ip: newIp(),
    });
    expect(login.ok && login.secondStep).toBe("verify");
    await clearMailbox(mailDir);
    await relayHere();
    expect((await readMailbox(mailDir)).map((m) => m.subject)).toEqual([
      "【再設定テスト市】パスワードが変更されました",
    ]);
  });

  it("a link expires after one hour, and a newer request makes the older link useless", async () => {
    const staff = await makeStaff(dbs.appDb, { tenantId: city.id });
    await forgot(staff.user.email);
    await relayHere();
    const first = (await linkFor(staff.user.email)).token!;
    const [row] = await dbs.ownerDb.select().from(passwordResets).where(eq(passwordResets.staffUserId, staff.user.id));
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(60 * 60 * 1000);
    // Age the row past its hour.
    await dbs.ownerDb
      .update(passwordResets)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResets.id, row!.id));
    expect(await resetPage(first)).toMatchObject({ usable: false });
    expect(await submitReset(first, "reset-to-this-password")).toMatchObject({
      ok: false,
      errors: { _form: RESET_INVALID },
    });

    await forgot(staff.user.email);
    await relayHere();
    const second = (await linkFor(staff.user.email)).token!;
    await forgot(staff.user.email);
    await relayHere();
    const third = (await linkFor(staff.user.email)).token!;
    expect(new Set([first, second, third]).size).toBe(3);
    expect(await resetPage(second)).toMatchObject({ usable: false });
    expect(await submitReset(second, "reset-to-this-password")).toMatchObject({ ok: false });
    expect(await resetPage(third)).toMatchObject({ usable: true });
    // The link belongs to its city: the same token under another city's URL is refused.
    const other = await makeTenant(dbs.appDb, { name: "別の市" });
    const { loader } = await import("~/routes/c.$city.admin.password.reset.$token");
    const c = new RouterContextProvider();
    c.set(tenantContext, other);
    expect(
      await loader({
        request: new Request("http://x/"),
        params: { city: other.slug, token: third },
        context: c,
      } as never),
    ).toMatchObject({ usable: false });
    expect((await submitReset(third, "reset-to-this-password")) instanceof Response).toBe(true);
  });

  it("limits requests per address (no more mail, same answer) and per client address (refused)", async () => {
    const staff = await makeStaff(dbs.appDb, { tenantId: city.id });
    for (let i = 0; i < 4; i++)
      expect((await forgot(staff.user.email)).result).toEqual({ ok: true, message: FORGOT_ANSWER });
    expect(
      await dbs.ownerDb.select().from(passwordResets).where(eq(passwordResets.staffUserId, staff.user.id)),
    ).toHaveLength(3);

    // Per client address: the feature is given the address the server derived from the socket
    // (a route called directly has none; tests/integration/client-address.test.ts covers the server).
    const ip = newIp();
    const fromIp = (email: string) =>
      requestPasswordReset(dbs.appDb, masterKey(env().MADOGUCHI_MASTER_KEY), {
        kind: "staff",
        tenant: city,
        email,
        ip,
      });
    for (let i = 0; i < 10; i++) expect(await fromIp(`someone${i}@city.example`)).toMatchObject({ ok: true });
    expect(await fromIp("someone-else@city.example")).toMatchObject({
      ok: false,
      message: expect.stringContaining("しばらく時間をおいて"),
    });
  });

  it("the daily retention purge deletes reset rows expired longer than the period and keeps the rest", async () => {
    const staff = await makeStaff(dbs.appDb, { tenantId: city.id });
    // Instants in 1999, so this purge (a fixed `now` in 2000) touches no other test's data.
    const row = (id: string, expiresAt: string) => ({
      id,
      kind: "staff" as const,
      staffUserId: staff.user.id,
      tenantId: city.id,
      tokenHash: `hash-${id}`,
      expiresAt: new Date(expiresAt),
    });
    const [oldId, recentId] = [crypto.randomUUID(), crypto.randomUUID()];
    await dbs.ownerDb
      .insert(passwordResets)
      .values([row(oldId, "1999-11-01T00:00:00Z"), row(recentId, "1999-12-25T00:00:00Z")]);
    const r = await purgeRetention({ db: dbs.appDb }, { retentionDays: 30, now: new Date("2000-01-01T00:00:00Z") });
    expect(r.passwordResets).toBeGreaterThanOrEqual(1);
    const left = await dbs.ownerDb
      .select({ id: passwordResets.id })
      .from(passwordResets)
      .where(eq(passwordResets.staffUserId, staff.user.id));
    expect(left.map((x) => x.id)).toEqual([recentId]);
  });
});
