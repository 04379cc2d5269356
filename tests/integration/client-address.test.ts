import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import type { ServerBuild } from "react-router";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, outbox, type Tenant } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { makeTicketHolders } from "#tests/factories/reservations";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";
import { resolveClientAddress, trustedProxyHops } from "~/lib/client-address.server";
import { createWebServer } from "../../server/app";

/**
 * The client address as production derives it (ADR 026): real requests over real sockets to the
 * production server (server/app.ts) — from distinct loopback addresses (127.0.0.2, 127.0.0.3…, all
 * of 127/8 is this machine) — with and without TRUST_PROXY. Nothing here hands the code an address.
 */
const dbs = testDbs();
let vite: ViteDevServer;
let build: ServerBuild;
let direct: Server; // TRUST_PROXY unset: the socket is the client
let proxied: Server; // TRUST_PROXY=1: one proxy (this test) in front
let city: Tenant;

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
};
let directPort = 0;
let proxiedPort = 0;

beforeAll(async () => {
  city = await makeTenant(dbs.appDb);
  await makeTicketHolders(dbs.appDb, city.id, [{ ticketNumber: "4000000001", birthDate: "1950-04-01" }]);
  vite = await createServer({
    configFile: "vite.config.ts",
    logLevel: "error",
    appType: "custom",
    server: { middlewareMode: true, hmr: false, ws: false },
  });
  build = (await vite.ssrLoadModule("virtual:react-router/server-build")) as ServerBuild;
  const before = process.env.TRUST_PROXY;
  delete process.env.TRUST_PROXY;
  direct = createWebServer(build);
  process.env.TRUST_PROXY = "1";
  proxied = createWebServer(build);
  if (before === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = before;
  directPort = await listen(direct);
  proxiedPort = await listen(proxied);
}, 120_000);

afterAll(async () => {
  await Promise.all([direct, proxied].map((s) => new Promise((r) => s?.close(r))));
  const db = (await vite.ssrLoadModule("/db/client.server.ts")) as { closeDb(): Promise<void> };
  await db.closeDb();
  const redis = (await vite.ssrLoadModule("/app/lib/redis.server.ts")) as { closeRedis?(): Promise<void> };
  await redis.closeRedis?.();
  await vite.close();
  await dbs.close();
});

/** A form POST from `from` (a loopback address) with whatever headers a client likes to send. */
function post(port: number, path: string, fields: Record<string, string>, from: string, headers = {}) {
  const body = new URLSearchParams(fields).toString();
  return new Promise<{ status: number; text: string; location?: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        localAddress: from,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
          origin: `http://127.0.0.1:${port}`,
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode!,
            text: Buffer.concat(chunks).toString("utf8"),
            location: res.headers.location,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const FAILED = "接種券番号または生年月日が確認できませんでした";
const THROTTLED = "しばらく受け付けを停止しています";
let ticketSeq = 0;
/** A wrong ticket check: a fresh unknown ticket number each time, so only the per-address budget is spent. */
const wrongCheck = (port: number, from: string, headers: Record<string, string> = {}) =>
  post(
    port,
    `/c/${city.slug}/reservation`,
    {
      intent: "identify",
      ticketNumber: String(5_000_000_000 + process.pid * 1000 + ticketSeq++),
      birthYear: "1950",
      birthMonth: "4",
      birthDay: "1",
    },
    from,
    headers,
  );

describe("the client address", () => {
  it("is read from X-Forwarded-For only as far as TRUST_PROXY's hops reach, from the right", () => {
    expect(resolveClientAddress("::ffff:10.0.0.1", "203.0.113.9", 0)).toBe("10.0.0.1");
    expect(resolveClientAddress("10.0.0.1", "6.6.6.6, 203.0.113.9", 1)).toBe("203.0.113.9");
    expect(resolveClientAddress("10.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.2", 2)).toBe("203.0.113.9");
    expect(resolveClientAddress("10.0.0.1", undefined, 1)).toBe("10.0.0.1");
    expect(resolveClientAddress("10.0.0.1", "not-an-address", 1)).toBe("10.0.0.1");
    expect(trustedProxyHops("0")).toBe(0);
    expect(trustedProxyHops("1")).toBe(1);
    expect(trustedProxyHops(undefined)).toBe(0);
    expect(() => trustedProxyHops("true")).toThrow(/TRUST_PROXY/);
  });

  it("rotating X-Forwarded-For / X-Real-IP does not escape the per-address ticket-check limit", async () => {
    for (let i = 0; i < 30; i++) {
      const r = await wrongCheck(directPort, "127.0.0.2", {
        "x-real-ip": `198.51.100.${i}`,
        "x-forwarded-for": `203.0.113.${i}`,
      });
      expect(r.status).toBe(200);
      expect(r.text).toContain(FAILED);
    }
    const next = await wrongCheck(directPort, "127.0.0.2", {
      "x-real-ip": "192.0.2.200",
      "x-forwarded-for": "192.0.2.201",
    });
    expect(next.text).toContain(THROTTLED);
  });

  it("clients without those headers do not share one bucket: another address is not blocked", async () => {
    const other = await wrongCheck(directPort, "127.0.0.3");
    expect(other.text).toContain(FAILED);
    expect(other.text).not.toContain(THROTTLED);
  });

  it("behind TRUST_PROXY=1 the proxy's entry counts, never the leftmost (forgeable) one", async () => {
    // The client forges a fresh leftmost address each time; the proxy's own entry (rightmost) stays.
    for (let i = 0; i < 30; i++)
      expect(
        (await wrongCheck(proxiedPort, "127.0.0.4", { "x-forwarded-for": `10.9.${i}.1, 198.51.100.77` })).text,
      ).toContain(FAILED);
    expect(
      (await wrongCheck(proxiedPort, "127.0.0.4", { "x-forwarded-for": "10.9.99.1, 198.51.100.77" })).text,
    ).toContain(THROTTLED);
    // A different client as the proxy saw it is its own bucket.
    expect((await wrongCheck(proxiedPort, "127.0.0.4", { "x-forwarded-for": "198.51.100.78" })).text).toContain(FAILED);
  });
});

describe("staff login per account (ADR 026)", () => {
  const LOGIN_FAILED = "メールアドレスまたはパスワードが正しくありません";
  const LOGIN_THROTTLED = "ログインの試行回数が上限に達しました";

  it("holds under address rotation, and the owner still gets in from where they logged in before", async () => {
    const staff = await makeStaff(dbs.appDb, { tenantId: city.id, role: "operator" });
    const login = (password: string, clientAddress: string) =>
      post(proxiedPort, `/c/${city.slug}/admin/login`, { email: staff.user.email, password, next: "" }, "127.0.0.5", {
        "x-forwarded-for": clientAddress,
      });
    // The owner's usual desk.
    const first = await login(staff.password, "192.0.2.10");
    expect(first.status).toBe(302);

    // A stranger guesses from a new address every time (a botnet, as the proxy sees it).
    const answers: string[] = [];
    for (let i = 0; i < 14; i++) {
      const r = await login(`guess-${i}`, `203.0.113.${100 + i}`);
      answers.push(r.text.includes(LOGIN_THROTTLED) ? "throttled" : r.text.includes(LOGIN_FAILED) ? "failed" : "?");
    }
    // The first ten per hour are free; after that new addresses wait (30 s, 60 s, … up to 5 min).
    expect(answers.slice(0, 11)).toEqual(Array(11).fill("failed"));
    expect(answers.slice(11)).toEqual(Array(3).fill("throttled"));
    // Even the right password from yet another new address waits its turn…
    expect((await login(staff.password, "203.0.113.250")).text).toContain(LOGIN_THROTTLED);
    // …but the owner at their desk is not slowed down at all.
    const owner = await login(staff.password, "192.0.2.10");
    expect(owner.status).toBe(302);

    // The owner was told once, when the slow-down started (ADR 026).
    const alerts = await dbs.ownerDb
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.tenantId, city.id), eq(outbox.jobName, "send-login-alert")));
    expect(alerts.filter((a) => a.payload.userId === staff.user.id)).toHaveLength(1);

    // The audit rows carry the address the proxy reported, never a header the client chose.
    const rows = await withTenant(dbs.ownerDb, city.id, (tx) =>
      tx
        .select({ ip: auditLog.ip })
        .from(auditLog)
        .where(and(eq(auditLog.actorId, staff.user.id), eq(auditLog.action, "staff.login"))),
    );
    expect(rows.map((r) => r.ip)).toEqual(["192.0.2.10", "192.0.2.10"]);
  });
});
