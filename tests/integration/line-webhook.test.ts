import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lineWebhookEvents, outbox, type Tenant } from "#db/schema/index";
import { action as webhookAction, loader as webhookLoader } from "~/routes/webhooks.line.$tenantId";
import { saveLineSettings } from "~/features/line/channel-admin.server";
import { handleLineWebhook, MAX_WEBHOOK_BODY_BYTES } from "~/features/line/webhook.server";
import { isCrossSiteRequest } from "~/lib/csrf.server";
import { env, type Env } from "~/lib/env.server";
import {
  fakeChannel,
  lineEvents,
  makeLineChannel,
  signLineBody,
  webhookBody,
  type PlainChannel,
} from "#tests/factories/line";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * The webhook ack path (ADR 008): verify the city's signature, store each event once, enqueue its
 * processing through the outbox in the same transaction, answer at once. Everything else is refused
 * without detail.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 4);
let city: Tenant;
let other: Tenant;
let bare: Tenant;
let channel: PlainChannel;
let otherChannel: PlainChannel;

const post = (tenantId: string, body: string | Buffer, signature: string | null) =>
  handleLineWebhook(
    { tenantId, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body), signature, method: "POST" },
    { db: dbs.appDb, key },
  );

const eventsOf = (tenantId: string) =>
  dbs.ownerDb.select().from(lineWebhookEvents).where(eq(lineWebhookEvents.tenantId, tenantId));
const jobsOf = (tenantId: string) =>
  dbs.ownerDb
    .select()
    .from(outbox)
    .where(and(eq(outbox.tenantId, tenantId), eq(outbox.jobName, "process-line-event")));

beforeAll(async () => {
  city = await makeTenant(dbs.appDb, { name: "Webhookテスト市" });
  other = await makeTenant(dbs.appDb, { name: "Webhook隣町" });
  bare = await makeTenant(dbs.appDb, { name: "LINE未設定村" });
  channel = await makeLineChannel(dbs.appDb, key, city.id);
  otherChannel = await makeLineChannel(dbs.appDb, key, other.id);
});
afterAll(() => dbs.close());

describe("POST /webhooks/line/:tenantId", () => {
  it("a correctly signed delivery is stored and enqueued through the outbox, answered 200 {}", async () => {
    const userId = `U${"a".repeat(32)}`;
    const body = webhookBody([lineEvents.follow({ userId }), lineEvents.text({ userId, text: "こんにちは" })]);
    const res = await post(city.id, body, signLineBody(body, channel.channelSecret));
    expect(res).toEqual({ status: 200, body: "{}" });
    const stored = await eventsOf(city.id);
    expect(stored.map((e) => e.type).sort()).toEqual(["follow", "message"]);
    expect(stored.every((e) => e.lineUserId === userId && e.processedAt === null && !e.isRedelivery)).toBe(true);
    const jobs = await jobsOf(city.id);
    expect(jobs.map((j) => j.payload).sort((x, y) => String(x.eventId).localeCompare(String(y.eventId)))).toEqual(
      stored.map((e) => ({ tenantId: city.id, eventId: e.id })).sort((x, y) => x.eventId.localeCompare(y.eventId)),
    );
    // Ids only in the job payload: the resident's message stays in PostgreSQL.
    expect(JSON.stringify(jobs)).not.toContain("こんにちは");
  });

  it("a redelivery of the same event adds no event and no job", async () => {
    const userId = `U${"b".repeat(32)}`;
    const event = lineEvents.postback({ userId, data: "survey=gender&v=female" });
    const first = webhookBody([event]);
    expect((await post(city.id, first, signLineBody(first, channel.channelSecret))).status).toBe(200);
    const [eventsBefore, jobsBefore] = [(await eventsOf(city.id)).length, (await jobsOf(city.id)).length];
    const again = webhookBody([{ ...event, deliveryContext: { isRedelivery: true } }]);
    expect((await post(city.id, again, signLineBody(again, channel.channelSecret))).status).toBe(200);
    expect(await eventsOf(city.id)).toHaveLength(eventsBefore);
    expect(await jobsOf(city.id)).toHaveLength(jobsBefore);
  });

  it("a burst of concurrent deliveries, each event sent twice, is stored once with one job each (grouped commits)", async () => {
    const before = { events: (await eventsOf(city.id)).length, jobs: (await jobsOf(city.id)).length };
    const events = Array.from({ length: 60 }, (_, i) =>
      lineEvents.text({ userId: `U${String(i).padStart(32, "0")}`, text: `burst ${i}` }),
    );
    const bodies = [...events, ...events.map((e) => ({ ...e, deliveryContext: { isRedelivery: true } }))].map((e) =>
      webhookBody([e]),
    );
    const answers = await Promise.all(bodies.map((b) => post(city.id, b, signLineBody(b, channel.channelSecret))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const stored = await eventsOf(city.id);
    expect(stored.length - before.events).toBe(60);
    expect(new Set(stored.map((e) => e.webhookEventId)).size).toBe(stored.length);
    expect((await jobsOf(city.id)).length - before.jobs).toBe(60);
  });

  it("a signed delivery carrying a NUL or a lone surrogate is refused alone (400, ADR 028); the deliveries sent with it are stored", async () => {
    const before = (await eventsOf(city.id)).length;
    const good = Array.from({ length: 5 }, (_, i) =>
      webhookBody([lineEvents.text({ userId: `U${"e".repeat(31)}${i}`, text: `ok ${i}` })]),
    );
    // Valid JSON and signed, but PostgreSQL's jsonb cannot hold either: refused before the insert,
    // which would fail (once a 500 and a redelivery loop).
    const nul = webhookBody([lineEvents.text({ userId: `U${"f".repeat(32)}`, text: "nul \u0000 here" })]);
    const surrogate = webhookBody([lineEvents.text({ userId: `U${"f".repeat(32)}`, text: "half \ud800 here" })]);
    const bodies = [good[0]!, good[1]!, nul, good[2]!, surrogate, good[3]!, good[4]!];
    const answers = await Promise.all(bodies.map((b) => post(city.id, b, signLineBody(b, channel.channelSecret))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 400, 200, 400, 200, 200]);
    expect((await eventsOf(city.id)).length - before).toBe(5);
  });

  it("a signed event whose fields fail validation (nonsense timestamp, wrong types) is 400 and stores nothing", async () => {
    const before = (await eventsOf(city.id)).length;
    const userId = `U${"9".repeat(32)}`;
    const bad = [
      { ...lineEvents.follow({ userId }), timestamp: 1e20 },
      { ...lineEvents.follow({ userId }), timestamp: "yesterday" },
      { ...lineEvents.follow({ userId }), timestamp: -5 },
      { ...lineEvents.text({ userId, text: "x" }), message: { type: "text", text: 42 } },
      { ...lineEvents.follow({ userId }), source: { type: "user", userId: { id: 1 } } },
      { ...lineEvents.postback({ userId, data: "x" }), postback: { data: ["a"] } },
    ];
    for (const event of bad) {
      const body = webhookBody([event]);
      expect((await post(city.id, body, signLineBody(body, channel.channelSecret))).status).toBe(400);
    }
    expect((await eventsOf(city.id)).length).toBe(before);
  });

  it("a bad or missing signature is refused with 401 and stores nothing", async () => {
    const before = (await eventsOf(city.id)).length;
    const body = webhookBody([lineEvents.follow({ userId: `U${"c".repeat(32)}` })]);
    expect((await post(city.id, body, "bm90IHRoZSBzaWduYXR1cmU=")).status).toBe(401);
    expect((await post(city.id, body, null)).status).toBe(401);
    expect((await post(city.id, body, "")).status).toBe(401);
    // A signature over a different body (tampered in transit).
    expect((await post(city.id, body, signLineBody(`${body} `, channel.channelSecret))).status).toBe(401);
    expect(await eventsOf(city.id)).toHaveLength(before);
  });

  it("another city's signature is refused: each city verifies with its own secret", async () => {
    const body = webhookBody([lineEvents.follow({ userId: `U${"d".repeat(32)}` })]);
    expect((await post(city.id, body, signLineBody(body, otherChannel.channelSecret))).status).toBe(401);
    expect((await post(other.id, body, signLineBody(body, otherChannel.channelSecret))).status).toBe(200);
    expect(await eventsOf(other.id)).toHaveLength(1);
  });

  it("malformed JSON, even correctly signed, is 400", async () => {
    for (const body of [
      "{not json",
      JSON.stringify({ destination: "U1" }),
      JSON.stringify({ events: [{ type: "follow" }] }),
    ]) {
      expect((await post(city.id, body, signLineBody(body, channel.channelSecret))).status).toBe(400);
    }
  });

  it("a body over 1 MB is 413", async () => {
    const big = Buffer.alloc(MAX_WEBHOOK_BODY_BYTES + 1, 0x20);
    expect((await post(city.id, big, signLineBody(big, channel.channelSecret))).status).toBe(413);
  });

  it("an unknown city, a malformed id and a city without a channel all get the same bare 404", async () => {
    const body = webhookBody([]);
    const answers = await Promise.all(
      [randomUUID(), "not-a-uuid", bare.id].map((id) => post(id, body, signLineBody(body, "whatever"))),
    );
    expect(answers).toEqual([
      { status: 404, body: "{}" },
      { status: 404, body: "{}" },
      { status: 404, body: "{}" },
    ]);
  });

  it("LINE's verify call (no events) is acknowledged and stores nothing; GET is 405", async () => {
    const body = webhookBody([]);
    const before = (await eventsOf(city.id)).length;
    expect(await post(city.id, body, signLineBody(body, channel.channelSecret))).toEqual({ status: 200, body: "{}" });
    expect(await eventsOf(city.id)).toHaveLength(before);
    expect(
      (
        await handleLineWebhook(
          { tenantId: city.id, rawBody: Buffer.alloc(0), signature: null, method: "GET" },
          { db: dbs.appDb, key },
        )
      ).status,
    ).toBe(405);
  });

  it("an event type we do not handle is stored (and later ignored), not refused", async () => {
    const userId = `U${"e".repeat(32)}`;
    const body = webhookBody([
      { ...lineEvents.unfollow({ userId }), type: "membership", membership: { type: "joined", membershipId: 1 } },
    ]);
    expect((await post(city.id, body, signLineBody(body, channel.channelSecret))).status).toBe(200);
    expect((await eventsOf(city.id)).some((e) => e.type === "membership")).toBe(true);
  });

  it("a new secret saved by the admin takes effect at once in this process", async () => {
    const admin = await makeStaff(dbs.appDb, { tenantId: other.id, role: "admin" });
    const body = webhookBody([]);
    expect((await post(other.id, body, signLineBody(body, otherChannel.channelSecret))).status).toBe(200); // cached now
    const rotated = fakeChannel("rotated-secret");
    await saveLineSettings(dbs.appDb, key, {
      tenantId: other.id,
      settings: { ...otherChannel, channelSecret: rotated.channelSecret },
      actor: { staffUserId: admin.user.id },
    });
    expect((await post(other.id, body, signLineBody(body, rotated.channelSecret))).status).toBe(200);
    expect((await post(other.id, body, signLineBody(body, otherChannel.channelSecret))).status).toBe(401);
    otherChannel = { ...otherChannel, channelSecret: rotated.channelSecret };
  });
});

describe("the React Router resource route", () => {
  // The route reads the master key from the environment; give this city credentials under that key.
  let routeCity: Tenant;
  let routeChannel: PlainChannel;
  let config: Env;
  beforeAll(async () => {
    config = env();
    routeCity = await makeTenant(dbs.appDb, { name: "ルート市" });
    routeChannel = await makeLineChannel(dbs.appDb, Buffer.from(config.MADOGUCHI_MASTER_KEY, "base64"), routeCity.id);
  });

  const request = (body: BodyInit, headers: Record<string, string> = {}) =>
    new Request(`http://localhost/webhooks/line/${routeCity.id}`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
    });
  const call = (req: Request) =>
    webhookAction({ request: req, params: { tenantId: routeCity.id }, context: {} } as never) as Promise<Response>;

  it("adapts the request: signed body in, 200 {} out; no session or Origin needed", async () => {
    const body = webhookBody([lineEvents.follow({ userId: `U${"f".repeat(32)}` })]);
    const req = request(body, { "x-line-signature": signLineBody(body, routeChannel.channelSecret) });
    // A server-to-server POST has no Origin: the CSRF guard must let /webhooks/ through.
    expect(isCrossSiteRequest(req, config.APP_ORIGIN)).toBe(false);
    const res = await call(req);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("{}");
    expect(await eventsOf(routeCity.id)).toHaveLength(1);
  });

  it("stops reading an oversized streamed body and answers 413; GET answers 405", async () => {
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        if (pulled > 40)
          c.close(); // 10 MB if read to the end
        else c.enqueue(chunk);
      },
    });
    const res = await call(
      new Request(`http://localhost/webhooks/line/${routeCity.id}`, {
        method: "POST",
        body: stream,
        duplex: "half",
        headers: { "x-line-signature": "x" },
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(10);
    expect((webhookLoader() as Response).status).toBe(405);
  });
});
