import { and, eq } from "drizzle-orm";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { auditLog, lineChannels, type Tenant } from "#db/schema/index";
import { closeDb } from "#db/client.server";
import { lineSettingsPage, saveLineSettings } from "~/features/line/channel-admin.server";
import { decryptChannelRow } from "~/features/line/credentials.server";
import { LOGIN_CHANNEL_MSG } from "~/features/line/login-channel-messages";
import { saveLoginChannel } from "~/features/line/login-channel.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { closeRedis } from "~/lib/redis.server";
import { staffContext, tenantContext } from "~/tenants/context";
import { emulatorControl, fakeChannel, makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * The city admin's LINE Login channel (LIFF) on /c/:city/admin/line: checked live at the LINE
 * emulator with the same check as the onboarding wizard (a channel token issued from the id and
 * secret), saved encrypted only when LINE accepts it, audited either way, never shown back.
 */
const dbs = testDbs();
const LOGIN_SECRET = "login-secret-of-the-city-Qz9x";
let emu: LineEmulator;
let key: Buffer;
let city: Tenant;
let channel: PlainChannel;
let admin: Awaited<ReturnType<typeof makeStaff>>;
let line: LineApiConfig;

const row = async () => (await dbs.ownerDb.select().from(lineChannels).where(eq(lineChannels.tenantId, city.id)))[0]!;
const audits = (action: string) =>
  dbs.ownerDb
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, action)));
const actor = () => ({ staffUserId: admin.user.id, ip: "203.0.113.7" });
const save = (input: { loginChannelId: string; loginChannelSecret?: string }, config: LineApiConfig = line) =>
  saveLoginChannel(dbs.appDb, key, { tenantId: city.id, ...input, actor: actor(), config });

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  // The route reads LINE's base URL from the environment, parsed on first use.
  process.env.LINE_API_BASE = emu.url;
  process.env.LINE_DATA_API_BASE = emu.url;
  key = masterKey(env().MADOGUCHI_MASTER_KEY);
  line = { apiBase: emu.url, dataApiBase: emu.url, limiter: null };
  city = await makeTenant(dbs.appDb, { name: "ログインチャネル市" });
  admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
  channel = fakeChannel(`login-${Date.now()}`);
  await emulatorControl(emu.url).registerChannel({ ...channel, loginChannelSecret: LOGIN_SECRET });
  // As after an onboarding that stopped before the LIFF step: the ids are there, no login secret.
  await makeLineChannel(dbs.appDb, key, city.id, channel);
});
afterAll(async () => {
  await closeDb();
  await closeRedis();
  await emu.close();
  await dbs.close();
});

describe("setting the LINE Login channel", () => {
  it("shows 未設定 before; a missing secret is asked for and nothing is called or audited", async () => {
    const page = await lineSettingsPage(dbs.appDb, city.id);
    expect(page.channel).toMatchObject({
      loginChannelId: channel.loginChannelId,
      loginSecretSet: false,
      loginSecretUpdatedAt: null,
    });
    expect(page.channel).not.toHaveProperty("loginSecretMasked");
    expect(await save({ loginChannelId: channel.loginChannelId })).toEqual({
      ok: false,
      field: "loginChannelSecret",
      message: LOGIN_CHANNEL_MSG.secretMissing,
    });
    expect(await audits("line.login_channel.refused")).toHaveLength(0);
  });

  it("a wrong secret (or the Messaging API channel's) is refused by LINE: explained, nothing saved, the attempt audited without the secret", async () => {
    const before = await row();
    for (const wrong of ["not-the-login-secret", channel.channelSecret]) {
      expect(await save({ loginChannelId: channel.loginChannelId, loginChannelSecret: wrong })).toEqual({
        ok: false,
        message: LOGIN_CHANNEL_MSG.secretWrong(channel.loginChannelId),
      });
    }
    // An unknown login channel id is refused the same way.
    const otherId = `${channel.loginChannelId.slice(0, -1)}${(Number(channel.loginChannelId.at(-1)) + 1) % 10}`;
    await dbs.ownerDb.update(lineChannels).set({ liffId: null }).where(eq(lineChannels.tenantId, city.id));
    expect(await save({ loginChannelId: otherId, loginChannelSecret: LOGIN_SECRET })).toEqual({
      ok: false,
      message: LOGIN_CHANNEL_MSG.secretWrong(otherId),
    });
    await dbs.ownerDb.update(lineChannels).set({ liffId: before.liffId }).where(eq(lineChannels.tenantId, city.id));

    const after = await row();
    expect(after).toMatchObject({
      loginChannelId: channel.loginChannelId,
      loginSecretEnc: null,
      loginSecretLast4: null,
      loginSecretUpdatedAt: null,
      dataKeyEnc: before.dataKeyEnc,
    });
    const refused = await audits("line.login_channel.refused");
    expect(refused).toHaveLength(3);
    expect(refused[0]).toMatchObject({ actorKind: "staff", actorId: admin.user.id, detail: { error: "login_secret" } });
    expect(JSON.stringify(refused)).not.toContain("not-the-login-secret");
    expect(JSON.stringify(refused)).not.toContain(channel.channelSecret);
    expect(await audits("line.channel.save")).toHaveLength(0);
  });

  it("LINE unreachable: a clear message, nothing saved", async () => {
    const down = {
      apiBase: "http://127.0.0.1:9",
      dataApiBase: "http://127.0.0.1:9",
      limiter: null,
      retry: { timeoutMs: 2000 },
    };
    const r = await save({ loginChannelId: channel.loginChannelId, loginChannelSecret: LOGIN_SECRET }, down);
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining("LINEのサーバーに接続できませんでした") });
    expect((await row()).loginSecretEnc).toBeNull();
    expect((await audits("line.login_channel.refused")).at(-1)!.detail).toMatchObject({ error: "network" });
  });

  it("a login channel id that does not own the stored LIFF id is refused before asking LINE", async () => {
    const r = await save({ loginChannelId: "1234567", loginChannelSecret: LOGIN_SECRET });
    expect(r).toEqual({
      ok: false,
      field: "loginChannelId",
      message: LOGIN_CHANNEL_MSG.liffOtherChannel(channel.liffId),
    });
    expect((await row()).loginSecretEnc).toBeNull();
  });

  it("the right id and secret are verified and saved encrypted; the page shows 設定済み and the date, never the secret; audited by field name", async () => {
    const before = await row();
    const r = await save({ loginChannelId: channel.loginChannelId, loginChannelSecret: LOGIN_SECRET });
    expect(r).toEqual({ ok: true, changed: ["loginChannelSecret"] });
    const after = await row();
    expect(after.loginSecretEnc).not.toContain(LOGIN_SECRET);
    expect(after.loginSecretUpdatedAt).toBeInstanceOf(Date);
    const creds = decryptChannelRow(key, after);
    expect(creds).toMatchObject({
      loginChannelSecret: LOGIN_SECRET,
      loginChannelId: channel.loginChannelId,
      channelSecret: channel.channelSecret,
      channelAccessToken: channel.channelAccessToken,
      liffId: channel.liffId,
      botUserId: channel.botUserId,
    });
    // The Messaging API channel's connection test stays as it was.
    expect(after.checkedAt).toEqual(before.checkedAt);

    const page = await lineSettingsPage(dbs.appDb, city.id);
    expect(page.channel).toMatchObject({ loginSecretSet: true, loginSecretUpdatedAt: after.loginSecretUpdatedAt });
    expect(JSON.stringify(page)).not.toContain(LOGIN_SECRET.slice(-4));

    const saves = await audits("line.channel.save");
    expect(saves).toHaveLength(1);
    expect(saves[0]).toMatchObject({
      actorId: admin.user.id,
      ip: "203.0.113.7",
      detail: { changed: ["loginChannelSecret"], via: "login_channel", verified: true },
    });
    expect(JSON.stringify(saves)).not.toContain(LOGIN_SECRET);
  });

  it("saving again with the secret left blank re-checks the stored one and changes nothing; the main form keeps the login channel", async () => {
    const { loginSecretUpdatedAt } = await row();
    expect(await save({ loginChannelId: channel.loginChannelId })).toEqual({ ok: true, changed: [] });
    expect((await row()).loginSecretUpdatedAt).toEqual(loginSecretUpdatedAt);

    // The Messaging API form no longer carries the login channel id: saving it must not drop the login channel.
    const { loginChannelId: _omitted, ...mainForm } = channel;
    const main = await saveLineSettings(dbs.appDb, key, {
      tenantId: city.id,
      settings: { ...mainForm, channelSecret: "", channelAccessToken: "" },
      actor: actor(),
    });
    expect(main).toMatchObject({ ok: true, changed: [] });
    const after = await row();
    expect(decryptChannelRow(key, after)).toMatchObject({
      loginChannelId: channel.loginChannelId,
      loginChannelSecret: LOGIN_SECRET,
    });
    expect(after.loginSecretUpdatedAt).toEqual(loginSecretUpdatedAt);
  });

  it("a wrong secret when replacing keeps the stored, working one", async () => {
    expect((await save({ loginChannelId: channel.loginChannelId, loginChannelSecret: "typo-secret" })).ok).toBe(false);
    expect(decryptChannelRow(key, await row()).loginChannelSecret).toBe(LOGIN_SECRET);
  });
});

describe("the LINE settings page (route)", () => {
  const context = (staff: Awaited<ReturnType<typeof makeStaff>>) => {
    const c = new RouterContextProvider();
    c.set(tenantContext, city);
    c.set(staffContext, { user: staff.user, membership: staff.membership, sessionId: "s" });
    return c;
  };
  const post = async (form: Record<string, string>, staff = admin) => {
    const page = await import("~/routes/c.$city.admin.line");
    return page.action({
      request: new Request(`http://madoguchi.test/c/${city.slug}/admin/line`, {
        method: "POST",
        body: new URLSearchParams(form),
      }),
      context: context(staff),
      params: { city: city.slug },
      unstable_pattern: "",
    } as never);
  };

  it("is for admins only", async () => {
    const operator = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
    await expect(
      post({ intent: "login", loginChannelId: channel.loginChannelId, loginChannelSecret: LOGIN_SECRET }, operator),
    ).rejects.toMatchObject({ init: { status: 403 } });
  });

  it("checks at LINE (the emulator via LINE_API_BASE); a refusal comes back in Japanese without echoing the secret", async () => {
    const refused = await post({
      intent: "login",
      loginChannelId: channel.loginChannelId,
      loginChannelSecret: "wrong-secret-typed",
    });
    expect(refused).toMatchObject({
      intent: "login",
      ok: false,
      errors: { _form: LOGIN_CHANNEL_MSG.secretWrong(channel.loginChannelId) },
      values: { loginChannelId: channel.loginChannelId },
    });
    expect(JSON.stringify(refused)).not.toContain("wrong-secret-typed");
    expect(await post({ intent: "login", loginChannelId: "12ab" })).toMatchObject({
      ok: false,
      errors: { loginChannelId: "LINEログインのチャネルIDは数字で入力してください。" },
    });
    expect(
      await post({ intent: "login", loginChannelId: channel.loginChannelId, loginChannelSecret: LOGIN_SECRET }),
    ).toEqual({ intent: "login", ok: true });
  });
});
