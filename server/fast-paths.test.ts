import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staticSecurityHeaders } from "~/lib/security-headers.server";
import { serveFastPath, type FastPathHandlers } from "./fast-paths";

/** The node:http front of the production server: what reaches the hot-path handlers, and what does not. */
const calls: { kind: string; input: Record<string, unknown> }[] = [];
const handlers: FastPathHandlers = {
  handleLineWebhook: async (input) => {
    calls.push({ kind: "webhook", input: { ...input, rawBody: input.rawBody.toString() } });
    return { status: 200, body: "{}" };
  },
  handleBookingApi: async (input) => {
    calls.push({
      kind: "booking",
      input: { ...input, headers: input.headers.get("origin"), rawBody: input.rawBody.toString() },
    });
    if (input.citySlug === "boom") throw new Error("database down");
    return { status: 200, body: JSON.stringify({ ok: true }) };
  },
};
let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (!serveFastPath(req, res, handlers, Object.fromEntries(staticSecurityHeaders("https://madoguchi.example.jp")))) {
      res.writeHead(299).end("passed on");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe("serveFastPath", () => {
  it("hands a webhook POST its raw body, signature and tenant id", async () => {
    calls.length = 0;
    const res = await fetch(`${base}/webhooks/line/7f0c1a52-0000-4000-8000-000000000001`, {
      method: "POST",
      headers: { "x-line-signature": "sig==" },
      body: '{"events":[]}',
    });
    expect(res.status).toBe(200);
    expect(calls).toEqual([
      {
        kind: "webhook",
        input: {
          tenantId: "7f0c1a52-0000-4000-8000-000000000001",
          rawBody: '{"events":[]}',
          signature: "sig==",
          method: "POST",
        },
      },
    ]);
  });

  it("answers 413 to a webhook body over 1 MB without calling the handler", async () => {
    calls.length = 0;
    const res = await fetch(`${base}/webhooks/line/x`, { method: "POST", body: "x".repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(calls).toHaveLength(0);
  });

  it("hands a booking POST its city, path, origin and body", async () => {
    calls.length = 0;
    const res = await fetch(`${base}/c/kinokawa-demo/reserve/book`, {
      method: "POST",
      headers: { origin: "http://x.example", "content-type": "application/json" },
      body: '{"slot":"s"}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    // The static security headers ride along (no CSP: a JSON answer is never a page).
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(calls[0]).toMatchObject({
      kind: "booking",
      input: {
        citySlug: "kinokawa-demo",
        pathname: "/c/kinokawa-demo/reserve/book",
        headers: "http://x.example",
        rawBody: '{"slot":"s"}',
      },
    });
    expect(String(calls[0]!.input.selfOrigin)).toBe(base);
  });

  it("answers 500 without details when a handler throws", async () => {
    const res = await fetch(`${base}/c/boom/reserve/book`, { method: "POST", body: "{}" });
    expect(res.status).toBe(500);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).not.toMatch(/database/);
  });

  it("passes everything else on: other methods, other paths, look-alike paths", async () => {
    calls.length = 0;
    for (const [method, path] of [
      ["GET", "/webhooks/line/x"],
      ["GET", "/c/kinokawa-demo/reserve/book"],
      ["POST", "/c/kinokawa-demo/reserve/confirm"],
      ["POST", "/c/kinokawa-demo/reserve/book/extra"],
      ["POST", "/webhooks/line/x/y"],
    ] as const) {
      const res = await fetch(`${base}${path}`, { method, body: method === "POST" ? "{}" : undefined });
      expect(res.status, `${method} ${path}`).toBe(299);
    }
    expect(calls).toHaveLength(0);
  });
});
