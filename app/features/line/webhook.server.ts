import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { getDb, type Db } from "#db/client.server";
import { withTenantPipelined } from "#db/pipeline.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { createGroupCommit } from "~/lib/group-commit";
import { lineLog } from "./log.server";
import { lineWebhookBodySchema, parseStorableJson, type LineEvent } from "./webhook-event.schema";
import { noteWebhookRefusal } from "./webhook-refusals.server";
import { webhookSecret } from "./webhook-secrets.server";
import { isDbUnavailable } from "~/lib/db-unavailable.server";

/**
 * POST /webhooks/line/:tenantId, framework-free (ADR 008) so the production server can route it
 * before React Router: LINE gives up after 2 s, so this only verifies, stores and enqueues (through
 * the outbox, in the same transaction), and answers at once. The processor does the rest.
 */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export type WebhookRequest = { tenantId: string; rawBody: Buffer; signature: string | null; method: string };
export type WebhookResponse = { status: number; body: string };
/** onRefused: called for requests we refuse (401, 500) of a known city; default: the Redis counter. */
export type WebhookDeps = { db?: Db; key?: Buffer; onRefused?: (tenantId: string, status: number) => void };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Bodies carry no detail: an unknown city and a city without a channel must look the same.
const answer = (status: number, body = "{}"): WebhookResponse => ({ status, body });

// The event and body schemas (the fields we read, typed; the rest kept as sent): webhook-event.schema.ts.
const bodySchema = lineWebhookBodySchema;

/** base64(HMAC-SHA256(body, channel secret)), compared in constant time. */
export function verifyLineSignature(rawBody: Buffer, signature: string | null, channelSecret: string): boolean {
  if (!signature) return false;
  const expected = createHmac("sha256", channelSecret).update(rawBody).digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function handleLineWebhook(req: WebhookRequest, deps: WebhookDeps = {}): Promise<WebhookResponse> {
  if (req.method.toUpperCase() !== "POST") return answer(405);
  if (!UUID.test(req.tenantId)) return answer(404);
  const db = deps.db ?? getDb();
  const key = deps.key ?? masterKey(env().MADOGUCHI_MASTER_KEY);
  const tenantId = req.tenantId.toLowerCase();
  const log = lineLog();
  const refused = (status: number) => {
    (deps.onRefused ?? noteWebhookRefusal)(tenantId, status);
    return answer(status);
  };

  let secret: { secret: string | null; ageMs: number };
  try {
    secret = await webhookSecret(db, key, tenantId);
  } catch (e) {
    log.error({ tenantId, err: errorName(e) }, "line webhook: cannot load channel");
    return refused(isDbUnavailable(e) ? 503 : 500);
  }
  if (!secret.secret) return answer(404);
  if (req.rawBody.length > MAX_WEBHOOK_BODY_BYTES) {
    log.warn({ tenantId, bytes: req.rawBody.length }, "line webhook: body too large");
    return answer(413);
  }
  let valid = verifyLineSignature(req.rawBody, req.signature, secret.secret);
  // Just after a secret change in another process our cached one may be stale: re-read once
  // (at most every 5 s per city, so bad signatures cannot make us hammer the database).
  if (!valid && secret.ageMs > 5_000) {
    const fresh = await webhookSecret(db, key, tenantId, { maxAgeMs: 5_000 }).catch(() => null);
    valid = !!fresh?.secret && verifyLineSignature(req.rawBody, req.signature, fresh.secret);
  }
  if (!valid) {
    log.warn({ tenantId }, "line webhook: bad signature");
    return refused(401);
  }

  let parsed: z.infer<typeof bodySchema>;
  try {
    const result = bodySchema.safeParse(parseStorableJson(req.rawBody.toString("utf8")));
    if (!result.success) {
      // Signed, so LINE (or someone with the secret) sent it: worth one line, never the body.
      log.info({ tenantId, issues: result.error.issues.length }, "line webhook: events failed validation; refused");
      return answer(400);
    }
    parsed = result.data;
  } catch {
    return answer(400);
  }
  // LINE's "Verify" button and connection checks send an empty list: acknowledge, store nothing.
  if (parsed.events.length === 0) return answer(200);

  try {
    const inserted = await storeEvents(db, tenantId, parsed.events);
    log.debug({ tenantId, received: parsed.events.length, new: inserted }, "line webhook stored");
  } catch (e) {
    // 500 (503 while the database is away, ADR 029) makes LINE redeliver (when redelivery is on);
    // the unique key makes that safe.
    log.error({ tenantId, err: errorName(e) }, "line webhook: store failed");
    return refused(isDbUnavailable(e) ? 503 : 500);
  }
  return answer(200);
}

type StoredEvent = LineEvent;

/**
 * Stores one request's events through the per-process group commit (app/lib/group-commit.ts): during
 * a burst, the requests for one city that arrive while a write is in flight share the next
 * transaction, and each is acknowledged only after that commit. Returns how many events were new.
 * One write in flight per city and process: measured (bench/webhook.ts) to beat two or more, since
 * the waiting requests then form bigger batches and the cost is per commit, not per row.
 */
function storeEvents(db: Db, tenantId: string, events: StoredEvent[]): Promise<number> {
  let committer = committers.get(db);
  if (!committer)
    committers.set(
      db,
      (committer = createGroupCommit<StoredEvent[], number>((tenant, batch) => storeBatch(db, tenant, batch), {
        maxInFlight: 1,
      })),
    );
  return committer.submit(tenantId, events);
}
const committers = new WeakMap<Db, ReturnType<typeof createGroupCommit<StoredEvent[], number>>>();

/**
 * One transaction for a batch of requests: each event once (ON CONFLICT DO NOTHING on the LINE event
 * id) and, only for the rows really inserted, the processing job in the outbox — in one statement,
 * pipelined with BEGIN and the tenant setting (db/pipeline.server.ts). A redelivered or racing
 * duplicate, in this batch or an earlier one, returns no id and so gets no outbox row: no second job.
 * The relay validates each outbox payload against the job catalogue.
 */
async function storeBatch(db: Db, tenantId: string, batch: StoredEvent[][]): Promise<number[]> {
  const rows = batch.flat().map((e) => ({
    webhook_event_id: e.webhookEventId,
    type: e.type,
    line_user_id: e.source?.userId ?? null,
    payload: e,
    is_redelivery: e.deliveryContext?.isRedelivery === true,
  }));
  const inserted = await withTenantPipelined(db, tenantId, async (c, commit) => {
    const result = c<{ webhook_event_id: string }[]>`
      with stored as (
        insert into line_webhook_events (tenant_id, webhook_event_id, type, line_user_id, payload, is_redelivery)
        select ${tenantId}, x.webhook_event_id, x.type, x.line_user_id, x.payload, x.is_redelivery
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            as x(webhook_event_id text, type text, line_user_id text, payload jsonb, is_redelivery boolean)
        on conflict (tenant_id, webhook_event_id) do nothing
        returning id, webhook_event_id
      ), jobs as (
        insert into outbox (tenant_id, job_name, payload)
        select ${tenantId}, 'process-line-event', jsonb_build_object('tenantId', ${tenantId}::text, 'eventId', stored.id::text) from stored
      )
      select webhook_event_id from stored`.execute();
    // COMMIT rides behind the one write: if it fails, PostgreSQL turns the COMMIT into a ROLLBACK.
    void commit();
    return new Set((await result).map((r) => r.webhook_event_id));
  });
  return batch.map((events) => events.filter((e) => inserted.has(e.webhookEventId)).length);
}

// Error messages from the driver can quote values; log the class and code only.
function errorName(e: unknown) {
  const code = (e as { code?: string; cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;
  return `${e instanceof Error ? e.name : "error"}${code ? `:${code}` : ""}`;
}
