import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tenant } from "#db/schema/index";
import routes from "../../app/routes";
import { createSession } from "~/auth/session.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { makeStaff, makeVendor } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { verifiedVendorSession } from "#tests/factories/two-factor";
import { testDbs } from "#tests/setup/db";

/**
 * Issue 12.3, the proof (ADR 028): malformed requests for every route in app/routes.ts — read from
 * the route config itself, so a new route is covered without touching this file — against the real
 * request pipeline in a child process (tests/setup/web-child.ts), whose whole log is captured. Each
 * route gets wrong content types, broken encodings, NUL, huge and overlong values, no CSRF Origin,
 * and GET/HEAD/POST/PUT/PATCH/DELETE, anonymously and with a city admin's and a vendor's session;
 * its params get a realistic value and bogus ones. No answer may be a 5xx and the log may hold no
 * stack trace and no error line; nothing may be written.
 */
const dbs = testDbs();
let child: ChildProcess;
let base = "";
let log = "";
let city: Tenant;
let cookies = "";

type RouteEntry = { path?: string; index?: boolean; children?: RouteEntry[] };

/** Every URL pattern the config can match (layouts included: they match their own path too). */
function patterns(entries: RouteEntry[], parent = ""): string[] {
  return entries.flatMap((r) => {
    const here = r.path ? `${parent}/${r.path}`.replace(/\/+/g, "/") : parent || "/";
    return [here, ...patterns(r.children ?? [], here === "/" ? "" : here)];
  });
}
const PATTERNS = [...new Set(patterns(routes as RouteEntry[]))];

const LONG = "x".repeat(4000);
/** The URLs of a pattern: a realistic fill, then bogus values for each param in turn. */
function urlsFor(pattern: string): { url: string; realistic: boolean }[] {
  const realistic = (name: string) =>
    name === "city" ? city.slug : name === "tenantId" ? city.id : name === "kind" ? "normal" : randomUUID();
  const fill = (bogus?: { name: string; value: string }) =>
    pattern
      .replace(/:(\w+)/g, (_, name: string) =>
        bogus?.name === name ? bogus.value : encodeURIComponent(realistic(name)),
      )
      .replace("*", "no/such/page");
  const names = [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  return [
    { url: fill(), realistic: true },
    ...names.flatMap((name) =>
      ["1%27%20OR%201%3D1--", LONG].map((value) => ({ url: fill({ name, value }), realistic: false })),
    ),
  ];
}

/** `oversized`: the server may answer 413 and close before the body is sent, so a reset is fine. */
type Probe = {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  oversized?: boolean;
};
const FORM = "application/x-www-form-urlencoded";

/**
 * The malformed requests for one URL: `anon` ones are sent without a session, `session` ones with a
 * city admin's and a vendor's, so they get past the guards into the actions. `self` is the Origin our
 * own pages send; the CSRF probes leave it out or send a broken one.
 */
function probesFor(path: string, realistic: boolean): { anon: Probe[]; session: Probe[] } {
  const self = { origin: base };
  const form = { ...self, "content-type": FORM };
  const gets: Probe[] = [
    { method: "GET", path },
    { method: "GET", path: `${path}?page=-1&q=${LONG}&date=9999-99-99&serviceId=%27` },
    { method: "GET", path: `${path}%ZZ` },
    { method: "GET", path: `${path}?q=%00` },
    { method: "GET", path: `${path}/%E0%A4%A` },
  ];
  // A bogus param: the page and a form post (the URL-level cases are the realistic URL's).
  if (!realistic)
    return {
      anon: gets.slice(0, 2),
      session: [
        { method: "GET", path },
        { method: "POST", path, headers: form, body: "a=1" },
      ],
    };
  const bodies: Probe[] = [
    { method: "POST", path, headers: { ...self, "content-type": "text/plain" }, body: "intent=save" },
    { method: "POST", path, headers: { ...self, "content-type": "application/json" }, body: '{"intent":"save"}' },
    { method: "POST", path, headers: self, body: new TextEncoder().encode("intent=save") },
    { method: "POST", path, headers: { ...self, "content-type": "multipart/form-data" }, body: "intent=save" },
    {
      method: "POST",
      path,
      headers: { ...self, "content-type": "multipart/form-data; boundary=zz" },
      body: "--zz\r\nbroken",
    },
    { method: "POST", path, headers: form, body: "intent=%ZZ&name=%E0%A4%A&%=&&==" },
    { method: "POST", path, headers: form, body: "intent=save&name=%00&email=a%00b" },
  ];
  return {
    anon: [
      ...gets,
      { method: "GET", path: `${path}.data` },
      { method: "GET", path, headers: { cookie: `mdg_staff=${"%".repeat(50)}; mdg_vendor=${LONG}` } },
      { method: "POST", path, headers: { "content-type": FORM }, body: "intent=save" },
      { method: "POST", path, headers: { origin: "http://[::1", "content-type": FORM }, body: "intent=save" },
      { method: "POST", path, headers: form, body: `intent=save&name=${"y".repeat(1_200_000)}`, oversized: true },
    ],
    session: [
      { method: "GET", path },
      { method: "HEAD", path },
      ...bodies,
      { method: "POST", path, headers: form, body: `intent=save&name=${"あ".repeat(300_000)}` },
      { method: "POST", path: `${path}.data`, headers: { ...self, "content-type": "text/plain" }, body: "x" },
      { method: "PUT", path, headers: form, body: "intent=save" },
      { method: "PATCH", path, headers: { ...self, "content-type": "application/json" }, body: "{" },
      { method: "DELETE", path, headers: self },
    ],
  };
}

type Result = { probe: string; status: number };

/**
 * One request on a connection of its own (node:http, no keep-alive): a server that answers an
 * oversized body early and closes can then never reset an unrelated request reusing the socket.
 */
function send(p: Probe, withSession: boolean): Promise<Result> {
  const headers = { ...(withSession ? { cookie: cookies } : {}), ...p.headers };
  const probe = `${withSession ? "session " : ""}${p.method} ${p.path.slice(0, 120)} ${p.headers?.["content-type"] ?? ""}`;
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const req = http.request(
      { host: hostname, port, method: p.method, path: p.path, headers, agent: false, timeout: 60_000 },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ probe, status: res.statusCode ?? 0 }));
        res.on("error", () => resolve({ probe, status: res.statusCode ?? 0 }));
      },
    );
    // Status 0: no answer at all. Only an oversized body may be cut off (after the server's 413).
    req.on("error", (e) => resolve({ probe: `${probe} ${e.message}`, status: p.oversized ? 413 : 0 }));
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.end(p.body);
  });
}

/** At most `width` requests in flight: the server and PostgreSQL share this box's two cores. */
async function pool<T, R>(items: T[], width: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await run(items[i]!);
      }
    }),
  );
  return out;
}

/** A request node's HTTP parser refuses before the app sees it (NUL in a header, a huge header). */
function raw(request: string): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1", () => socket.end(request));
    let answer = "";
    socket.on("data", (d) => (answer += d.toString("latin1")));
    socket.on("close", () => resolve(answer.split("\r\n")[0] ?? ""));
    socket.on("error", (e: NodeJS.ErrnoException) => {
      // A header past node's limit: the server answers 431 and closes with our bytes unread, so the
      // kernel may reset the connection before the answer is read. A reset is a refusal, not a 5xx.
      if (e.code === "ECONNRESET") resolve(answer.split("\r\n")[0] || "RESET");
      else reject(e);
    });
  });
}

async function counts() {
  const rows = (await dbs.ownerDb.execute(sql`
    select (select count(*) from reservations)::int as reservations, (select count(*) from outbox)::int as outbox,
           (select count(*) from tenants)::int as tenants, (select count(*) from staff_users)::int as staff,
           (select count(*) from line_webhook_events)::int as line_events`)) as unknown as Record<string, number>[];
  return rows[0];
}

beforeAll(async () => {
  city = await makeTenant(dbs.appDb);
  const admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
  const vendor = await makeVendor(dbs.appDb);
  const staffSession = await createSession(dbs.appDb, "staff", admin.user.id);
  const vendorToken = await verifiedVendorSession(dbs.appDb, masterKey(env().MADOGUCHI_MASTER_KEY), vendor.user.id);
  cookies = `mdg_staff=${staffSession.token}; mdg_vendor=${vendorToken}`;
  child = spawn(process.execPath, ["--import", "tsx", "tests/setup/web-child.ts"], {
    env: {
      ...process.env,
      LOG_LEVEL: "info",
      // Nothing outside may be reached: every outside service is a closed port.
      LINE_API_BASE: "http://127.0.0.1:9",
      LINE_DATA_API_BASE: "http://127.0.0.1:9",
      STRIPE_API_BASE: "http://127.0.0.1:9",
      SMTP_URL: "smtp://127.0.0.1:9",
      WORKER_HEALTH_PORT: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web child did not start:\n${log}`)), 90_000);
    const take = (d: Buffer) => {
      log += d.toString();
      const m = /LISTENING (\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", take);
    child.stderr!.on("data", take);
    child.once("exit", (code) => reject(new Error(`web child exited (${code}):\n${log}`)));
  });
  base = `http://127.0.0.1:${port}`;
  // Warm up: the first page compiles the client manifest in the child; not part of the probes.
  await fetch(`${base}/`).then((r) => r.arrayBuffer());
  log = "";
}, 120_000);

afterAll(async () => {
  child?.kill("SIGTERM");
  await new Promise((r) => (child?.exitCode !== null ? r(null) : child.once("exit", r)));
  await dbs.close();
});

describe("bad input on every route (issue 12.3, ADR 028)", () => {
  it("no 5xx, no stack trace, no error line and nothing written for malformed requests to every route", async () => {
    expect(PATTERNS.length).toBeGreaterThan(80);
    const before = await counts();
    // Logout routes last: a session they end would make the requests after it anonymous.
    const ordered = [...PATTERNS].sort((a, b) => Number(a.endsWith("logout")) - Number(b.endsWith("logout")));
    const jobs = ordered.flatMap((pattern) =>
      urlsFor(pattern).flatMap(({ url, realistic }) => {
        const { anon, session } = probesFor(url, realistic);
        return [...anon.map((p) => ({ p, session: false })), ...session.map((p) => ({ p, session: true }))];
      }),
    );
    const t0 = Date.now();
    const results = await pool(jobs, 6, ({ p, session }) => send(p, session));
    const byStatus: Record<number, number> = {};
    for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    console.log(
      `bad-input: ${PATTERNS.length} route patterns, ${jobs.length} requests in ${Date.now() - t0} ms`,
      JSON.stringify(byStatus),
    );
    const rawAnswers = await Promise.all([
      raw(`GET /c/${city.slug}/reserve HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\n\r\n`),
      raw(`GET /vendor/login HTTP/1.1\r\nHost: x\r\nCookie: ${"c".repeat(70_000)}\r\n\r\n`),
      raw(`POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`),
      raw(`G\0T / HTTP/1.1\r\nHost: x\r\n\r\n`),
    ]);
    // Give the child a moment to flush its last log lines.
    await new Promise((r) => setTimeout(r, 500));

    const serverErrors = results.filter((r) => r.status >= 500 || r.status === 0);
    const logTail = log.split("\n").slice(-30).join("\n");
    expect(serverErrors, `${JSON.stringify(serverErrors.slice(0, 20), null, 1)}\n${logTail}`).toEqual([]);
    for (const line of rawAnswers) expect(line).toMatch(/^(HTTP\/1\.1 4\d\d |RESET$)/);
    // Every probe answered with a client error, a page or a redirect: nothing hung or dropped.
    expect(results.length).toBe(jobs.length);
    const stack = log.split("\n").filter((l) => /^\s+at\s|\\n\s+at\s|"stack"/.test(l));
    expect(stack.slice(0, 10), "stack trace in the server log").toEqual([]);
    const errors = log.split("\n").filter((l) => /"level":(50|60)|\bError:/.test(l));
    expect(errors.slice(0, 10), "error lines in the server log").toEqual([]);
    // The session probes reached the admin actions (past the guards) and were refused there as
    // non-forms; the anonymous POSTs without an Origin were refused by the CSRF check.
    const adminText = results.find((r) => r.probe === `session POST /c/${city.slug}/admin/staff text/plain`);
    expect(adminText?.status).toBe(415);
    const noOrigin = results.find((r) => r.probe === `POST /c/${city.slug}/reserve ${FORM}`);
    expect(noOrigin?.status).toBe(403);
    // A 405 (a route without an action) is one info line without a stack.
    expect(log).toMatch(/"status":405,"method":"POST"/);
    expect(await counts()).toEqual(before);
    // ~30 s on an idle 2-core box; generous because the suite may share it with other work.
  }, 300_000);
});
