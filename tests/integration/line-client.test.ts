import { createServer, type Server } from "node:http";
import { deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { and, eq } from "drizzle-orm";
import { auditLog, lineChannels, type Tenant } from "#db/schema/index";
import { testLineConnection } from "~/features/line/channel-admin.server";
import { createLineClient, newRetryKey, retryKeyFrom, type LineApiConfig } from "~/integrations/line/client.server";
import { LineApiError } from "~/integrations/line/errors";
import { createChannelLimiter } from "~/integrations/line/retry.server";
import { getRedis, closeRedis } from "~/lib/redis.server";
import { emulatorControl, fakeChannel, makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * The outbound client against the LINE emulator, through a recording proxy: every try of a push is
 * seen with its X-Line-Retry-Key, and the proxy can lose a response after LINE accepted the request
 * (the case retry keys exist for).
 */
type Seen = { path: string; retryKey: string | null; status: number };
const seen: Seen[] = [];
let holdNextResponseMs = 0;
let proxy: Server;
let proxyUrl: string;
let emu: LineEmulator;
let ctl: ReturnType<typeof emulatorControl>;
const channel: PlainChannel = fakeChannel("client-test");
const user = `U${"1".repeat(32)}`;

function startProxy(target: string) {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k)),
      ) as Record<string, string>;
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const upstream = await fetch(new URL(req.url!, target), { method: req.method, headers, body });
      const text = await upstream.text();
      seen.push({
        path: req.url!,
        retryKey: (req.headers["x-line-retry-key"] as string | undefined) ?? null,
        status: upstream.status,
      });
      const hold = holdNextResponseMs;
      holdNextResponseMs = 0;
      // LINE has accepted the request; the answer is "lost" for longer than the client waits.
      if (hold) await new Promise((r) => setTimeout(r, hold));
      res
        .writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" })
        .end(text);
    });
  });
}

const sleeps: number[] = [];
const config = (overrides: Partial<LineApiConfig["retry"]> = {}): LineApiConfig => ({
  apiBase: proxyUrl,
  dataApiBase: proxyUrl,
  limiter: null,
  retry: {
    baseDelayMs: 400,
    timeoutMs: 2_000,
    sleep: (ms) => (sleeps.push(ms), new Promise((r) => setTimeout(r, ms))),
    ...overrides,
  },
});
const text = (t: string) => [{ type: "text", text: t }] as never;

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  await ctl.registerChannel({ ...channel, loginChannelSecret: "login-secret-for-tests" });
  proxy = startProxy(emu.url);
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((r) => proxy.close(r));
  await emu.close();
  await closeRedis();
});

describe("LINE client", () => {
  it("a push answered 429 is retried with the same retry key until LINE accepts it", async () => {
    await ctl.rateLimits(channel.channelId, { push: 1 });
    const client = createLineClient(channel, config());
    await client.push(user, text("1通目"), { retryKey: newRetryKey() });
    const key = newRetryKey();
    seen.length = 0;
    sleeps.length = 0;
    expect(await client.push(user, text("2通目"), { retryKey: key })).toEqual({ status: "sent", retryKey: key });
    expect(seen[0]!.status).toBe(429);
    expect(seen.at(-1)!.status).toBe(200);
    expect(new Set(seen.map((s) => s.retryKey))).toEqual(new Set([key]));
    expect(sleeps.length).toBe(seen.length - 1);
    expect((await ctl.sent(channel.channelId, user)).filter((m) => m.retryKey === key)).toHaveLength(1);
    await ctl.rateLimits(channel.channelId, { push: 2000 });
  });

  it("a response lost after LINE accepted: the retry with the same key gets 409, which counts as sent once", async () => {
    const client = createLineClient(channel, config({ timeoutMs: 150 }));
    const key = newRetryKey();
    seen.length = 0;
    holdNextResponseMs = 600;
    expect(await client.push(user, text("お知らせ"), { retryKey: key })).toEqual({
      status: "already-accepted",
      retryKey: key,
    });
    expect(seen.map((s) => [s.retryKey, s.status])).toEqual([
      [key, 200],
      [key, 409],
    ]);
    expect((await ctl.sent(channel.channelId, user)).filter((m) => m.retryKey === key)).toHaveLength(1);
  });

  it("a job retried later with a key derived from its id is not delivered twice", async () => {
    const client = createLineClient(channel, config());
    const key = retryKeyFrom("notice:3b7c1f0e-0000-4000-8000-000000000001");
    expect(retryKeyFrom("notice:3b7c1f0e-0000-4000-8000-000000000001")).toBe(key);
    expect(await client.multicast([user, `U${"2".repeat(32)}`], text("一斉"), { retryKey: key })).toMatchObject({
      status: "sent",
    });
    expect(await client.multicast([user, `U${"2".repeat(32)}`], text("一斉"), { retryKey: key })).toMatchObject({
      status: "already-accepted",
    });
    expect((await ctl.sent(channel.channelId)).filter((m) => m.retryKey === key)).toHaveLength(1);
  });

  it("multicast over 500 recipients throws before calling LINE; a push needs a UUID retry key", async () => {
    const client = createLineClient(channel, config());
    seen.length = 0;
    const many = Array.from({ length: 501 }, (_, i) => `U${i.toString(16).padStart(32, "0")}`);
    await expect(client.multicast(many, text("x"), { retryKey: newRetryKey() })).rejects.toBeInstanceOf(LineApiError);
    await expect(client.push(user, text("x"), { retryKey: "not-a-uuid" })).rejects.toBeInstanceOf(LineApiError);
    expect(seen).toHaveLength(0);
  });

  it("a wrong token fails as unauthorized, at once, without the token in the error", async () => {
    const token = "wrong-token-that-must-not-leak";
    const client = createLineClient({ channelId: channel.channelId, channelAccessToken: token }, config());
    const err = await client.getBotInfo().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LineApiError);
    expect((err as LineApiError).kind).toBe("unauthorized");
    expect(JSON.stringify(err) + String(err)).not.toContain(token);
    expect(await createLineClient(channel, config()).getBotInfo()).toMatchObject({ userId: channel.botUserId });
  });

  it("verifies LIFF ID tokens against the LINE Login channel", async () => {
    const client = createLineClient(channel, config());
    const idToken = await ctl.idToken(channel.channelId, user);
    expect(await client.verifyIdToken(idToken, channel.loginChannelId)).toMatchObject({ ok: true, lineUserId: user });
    expect(await client.verifyIdToken(idToken, "1999999999")).toMatchObject({ ok: false });
    expect(await client.verifyIdToken(`${idToken}x`, channel.loginChannelId)).toMatchObject({ ok: false });
  });

  it("rich menus: create, upload the image on the data host, set and read the default, delete", async () => {
    const client = createLineClient(channel, config());
    const id = await client.createRichMenu({
      size: { width: 2500, height: 843 },
      selected: true,
      name: "メイン",
      chatBarText: "メニュー",
      areas: [{ bounds: { x: 0, y: 0, width: 2500, height: 843 }, action: { type: "message", text: "予約" } }],
    } as never);
    await client.uploadRichMenuImage(id, solidPng(2500, 843), "image/png");
    await client.setDefaultRichMenu(id);
    expect(await client.getDefaultRichMenuId()).toBe(id);
    await client.deleteRichMenu(id);
    expect(await client.getDefaultRichMenuId()).toBeNull();
  });

  it("the per-channel limiter on Redis waits for the next slot instead of failing", async () => {
    const waits: number[] = [];
    const redis = getRedis();
    if (redis.status !== "ready") await new Promise((r) => redis.once("ready", r));
    const keyPrefix = `${process.env.REDIS_PREFIX}:rl:line_test`;
    const limiter = createChannelLimiter({
      redis,
      keyPrefix,
      perSecond: 3,
      sleep: (ms) => (waits.push(ms), new Promise((r) => setTimeout(r, ms))),
    });
    const started = Date.now();
    for (let i = 0; i < 5; i++) await limiter.acquire("limiter-channel");
    expect(waits.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(waits.length ? Math.min(...waits) : 0);
    // The budget is shared through Redis (every web and worker process), not kept in this process.
    expect(await redis.exists(`${keyPrefix}:limiter-channel`)).toBe(1);
    // Another channel has its own budget.
    waits.length = 0;
    await limiter.acquire("other-channel");
    expect(waits).toHaveLength(0);
  });
});

describe("接続テスト (admin connection test)", () => {
  const dbs = testDbs();
  const key = Buffer.alloc(32, 6);
  let city: Tenant;
  let admin: Awaited<ReturnType<typeof makeStaff>>;
  beforeAll(async () => {
    city = await makeTenant(dbs.appDb, { name: "接続テスト市" });
    admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
  });
  afterAll(() => dbs.close());

  it("records success (and the bot's user id), or a clear Japanese message for a wrong token; both audited", async () => {
    await makeLineChannel(dbs.appDb, key, city.id, { ...channel, botUserId: "" });
    const ok = await testLineConnection(dbs.appDb, key, {
      tenantId: city.id,
      actor: { staffUserId: admin.user.id },
      config: config(),
    });
    expect(ok).toMatchObject({ ok: true });
    let [row] = await dbs.ownerDb.select().from(lineChannels).where(eq(lineChannels.tenantId, city.id));
    expect(row).toMatchObject({ checkError: null, botUserId: channel.botUserId });
    expect(row!.checkedAt).toBeInstanceOf(Date);

    await makeLineChannel(dbs.appDb, key, city.id, { ...channel, channelAccessToken: "revoked-token-value" });
    const bad = await testLineConnection(dbs.appDb, key, {
      tenantId: city.id,
      actor: { staffUserId: admin.user.id },
      config: config(),
    });
    expect(bad).toMatchObject({ ok: false, message: expect.stringContaining("アクセストークンが正しくありません") });
    [row] = await dbs.ownerDb.select().from(lineChannels).where(eq(lineChannels.tenantId, city.id));
    expect(row!.checkError).toContain("アクセストークンが正しくありません");
    const audit = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "line.channel.test")));
    expect(audit.map((a) => a.detail)).toEqual([{ ok: true }, { ok: false, error: "unauthorized" }]);
    expect(JSON.stringify(audit)).not.toContain("revoked-token-value");
  });
});

/** A valid one-colour PNG of the given size (the emulator checks the IHDR size like LINE). */
function solidPng(width: number, height: number) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    td.copy(out, 4);
    out.writeUInt32BE(crc(td), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x33)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
