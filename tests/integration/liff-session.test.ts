import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import type { Tenant } from "#db/schema/index";
import { getLineIdentity, LINE_COOKIE } from "~/features/liff/identity.server";
import { handleLiffSession, LIFF_MESSAGES, liffBootInfo } from "~/features/liff/session.server";
import { closeRedis } from "~/lib/redis.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { emulatorControl, fakeChannel, makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * The LIFF handshake against the LINE emulator: the page posts LIFF's ID token, the server has
 * "LINE" verify it for this city's LINE Login channel and only then sets the `mdg_line` cookie.
 */
const dbs = testDbs();
// The cookie is sealed with the env master key; the channel rows with the same one, as in the app.
const key = masterKey(env().MADOGUCHI_MASTER_KEY);
let emu: LineEmulator;
let ctl: ReturnType<typeof emulatorControl>;
let cityA: Tenant;
let cityB: Tenant;
let noLiff: Tenant;
let chA: PlainChannel;
let chB: PlainChannel;
let ipSeq = 0;

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  [cityA, cityB, noLiff] = await Promise.all([
    makeTenant(dbs.appDb, { name: "LIFF甲市" }),
    makeTenant(dbs.appDb, { name: "LIFF乙市" }),
    makeTenant(dbs.appDb, { name: "LIFFなし町" }),
  ]);
  chA = await makeLineChannel(dbs.appDb, key, cityA.id, fakeChannel("liff-a"));
  chB = await makeLineChannel(dbs.appDb, key, cityB.id, fakeChannel("liff-b"));
  await ctl.registerChannel({ ...chA, loginChannelSecret: "login-secret-a" });
  await ctl.registerChannel({ ...chB, loginChannelSecret: "login-secret-b" });
});
afterAll(async () => {
  await emu.close();
  await closeRedis();
  await dbs.close();
});

const post = (tenant: Tenant, body: unknown, ip = `198.51.100.${++ipSeq}`, apiBase = emu.url) =>
  handleLiffSession(
    new Request(`http://madoguchi.test/c/${tenant.slug}/liff/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    tenant,
    { db: dbs.appDb, ip, line: { apiBase, retry: { sleep: async () => {}, maxAttempts: 1 } } },
  );

/** The request a browser would send back with the cookie that `res` set. */
const withCookieOf = (res: Response, tenant: Tenant) =>
  new Request(`http://madoguchi.test/c/${tenant.slug}/reserve`, {
    headers: { cookie: res.headers.get("set-cookie")!.split(";")[0]! },
  });

async function forgedToken(channelId: string, userId: string, audience: string) {
  const res = await fetch(new URL("/__emulator/id-tokens", emu.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ channelId, userId, audience }),
  });
  return ((await res.json()) as { idToken: string }).idToken;
}

describe("POST /c/:city/liff/session", () => {
  it("verifies a LIFF ID token at LINE and sets an encrypted HttpOnly cookie for this city only", async () => {
    const userId = await ctl.newUser();
    const res = await post(cityA, { idToken: await ctl.idToken(chA.channelId, userId) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(new RegExp(`^${LINE_COOKIE}=v1\\.`));
    expect(cookie).toContain(`Path=/c/${cityA.slug}/`);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Max-Age=7200");
    // Encrypted: the LINE user id is not readable in the cookie.
    expect(cookie).not.toContain(userId);
    expect(getLineIdentity(withCookieOf(res, cityA), cityA)).toEqual({ lineUserId: userId });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("a cookie from city A does not open in city B, and it expires after 2 hours", async () => {
    const userId = await ctl.newUser();
    const res = await post(cityA, { idToken: await ctl.idToken(chA.channelId, userId) });
    const req = withCookieOf(res, cityA);
    expect(getLineIdentity(req, cityB)).toBeNull();
    expect(getLineIdentity(req, cityA, new Date(Date.now() + 2 * 3600_000 + 1000))).toBeNull();
    // Tampering with one character breaks the GCM tag.
    const raw = res.headers.get("set-cookie")!.split(";")[0]!;
    const tampered = new Request("http://madoguchi.test/", {
      headers: { cookie: `${raw.slice(0, -2)}${raw.endsWith("A") ? "B" : "A"}${raw.slice(-1)}` },
    });
    expect(getLineIdentity(tampered, cityA)).toBeNull();
  });

  it("answers an expired, another channel's or a garbage token with 401 and sets nothing", async () => {
    const userId = await ctl.newUser();
    const expired = await fetch(new URL("/__emulator/id-tokens", emu.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ channelId: chA.channelId, userId, expiresInSeconds: -60 }),
    });
    const cases = {
      expired: ((await expired.json()) as { idToken: string }).idToken,
      // City B's LIFF app issued it: signed for B's LINE Login channel, presented to city A.
      otherCity: await ctl.idToken(chB.channelId, userId),
      // Signed by A's channel but naming another audience.
      otherAudience: await forgedToken(chA.channelId, userId, chB.loginChannelId),
      garbage: "not.a.token",
    };
    for (const [name, idToken] of Object.entries(cases)) {
      const res = await post(cityA, { idToken });
      expect(res.status, name).toBe(401);
      expect(res.headers.get("set-cookie"), name).toBeNull();
      expect(await res.json(), name).toEqual({ ok: false, message: LIFF_MESSAGES.invalid });
    }
  });

  it("refuses a malformed body with 400, a city without LIFF with 404, and an unreachable LINE with 503 — never a cookie", async () => {
    const userId = await ctl.newUser();
    const token = await ctl.idToken(chA.channelId, userId);
    for (const body of ["{", { idToken: 42 }, {}, JSON.stringify({ idToken: "x".repeat(9000) })]) {
      const res = await post(cityA, body);
      expect(res.status).toBe(400);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    const none = await post(noLiff, { idToken: token });
    expect(none.status).toBe(404);
    const down = await post(cityA, { idToken: token }, undefined, "http://127.0.0.1:9");
    expect(down.status).toBe(503);
    expect(down.headers.get("set-cookie")).toBeNull();
  });

  it("rate-limits refused tokens per client address (another address is not affected)", async () => {
    const ip = "203.0.113.77";
    for (let i = 0; i < 30; i++) expect((await post(cityA, { idToken: `bad.${i}.token` }, ip)).status).toBe(401);
    const userId = await ctl.newUser();
    const blocked = await post(cityA, { idToken: await ctl.idToken(chA.channelId, userId) }, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("set-cookie")).toBeNull();
    expect((await post(cityA, { idToken: await ctl.idToken(chA.channelId, userId) }, "203.0.113.78")).status).toBe(200);
  });
});

describe("GET /c/:city/liff/session (what the LIFF boot needs)", () => {
  it("gives the city's LIFF id and whether the identity is set, and no LIFF id for a city without LIFF", async () => {
    const get = (t: Tenant, cookie?: string) =>
      new Request(`http://madoguchi.test/c/${t.slug}/liff/session`, { headers: cookie ? { cookie } : {} });
    expect(await liffBootInfo(get(cityA), cityA, dbs.appDb)).toMatchObject({ liffId: chA.liffId, identified: false });
    const res = await post(cityA, { idToken: await ctl.idToken(chA.channelId, await ctl.newUser()) });
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    expect(await liffBootInfo(get(cityA, cookie), cityA, dbs.appDb)).toMatchObject({
      liffId: chA.liffId,
      identified: true,
    });
    expect(await liffBootInfo(get(cityB, cookie), cityB, dbs.appDb)).toMatchObject({
      liffId: chB.liffId,
      identified: false,
    });
    expect(await liffBootInfo(get(noLiff), noLiff, dbs.appDb)).toMatchObject({ liffId: null });
  });
});
