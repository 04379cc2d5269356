import { z } from "zod";

/**
 * One LINE webhook event as we accept it (ADR 028). Checked at the webhook, so an event whose
 * fields we read is never stored unless the processor can use it: a `timestamp` that is not a
 * plausible epoch-milliseconds number, or a field of the wrong type, used to be acknowledged and
 * then fail its job on every retry (a poison job). Fields we do not read are stored as sent, so new
 * LINE event types and fields are kept rather than refused. The processor checks stored payloads
 * against the same schema (rows stored before it existed) and settles a bad one without retrying.
 */
const text = (max: number) => z.string().max(max);
// Epoch milliseconds from 2011 (LINE's launch) to 2100: anything else is not a LINE timestamp.
export const LINE_TIMESTAMP_MIN = Date.UTC(2011, 0, 1);
export const LINE_TIMESTAMP_MAX = Date.UTC(2100, 0, 1);

export const lineEventSchema = z.looseObject({
  type: text(100).min(1),
  webhookEventId: text(100).min(1),
  mode: text(50).optional(),
  timestamp: z.number().int().min(LINE_TIMESTAMP_MIN).max(LINE_TIMESTAMP_MAX).optional(),
  replyToken: text(500).optional(),
  source: z.looseObject({ type: text(50).optional(), userId: text(100).optional() }).optional(),
  deliveryContext: z.looseObject({ isRedelivery: z.boolean().optional() }).optional(),
  message: z
    .looseObject({
      type: text(50).optional(),
      // LINE caps a text message at 5,000 characters.
      text: text(10_000).optional(),
      id: text(100).optional(),
      latitude: z.number().min(-90).max(90).optional(),
      longitude: z.number().min(-180).max(180).optional(),
      title: text(1_000).optional(),
      address: text(1_000).optional(),
    })
    .optional(),
  postback: z
    .looseObject({ data: text(1_000).optional(), params: z.record(text(100), text(100)).optional() })
    .optional(),
});
export type LineEvent = z.infer<typeof lineEventSchema>;

export const lineWebhookBodySchema = z.looseObject({
  destination: z.string().optional(),
  events: z.array(lineEventSchema).max(1000),
});

// A UTF-16 surrogate without its partner: `\ud800` alone is valid JSON but not text.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (s: string) => s.includes("\0") || LONE_SURROGATE.test(s);

/**
 * JSON.parse that refuses what PostgreSQL's jsonb cannot store — a NUL (`\u0000`) or a lone
 * surrogate (`\ud800`) in a key or a string — so such a body is a 400 here instead of failing at
 * the insert (once a 500 and a redelivery loop).
 */
export function parseStorableJson(text: string): unknown {
  let bad = false;
  const value: unknown = JSON.parse(text, (key, v: unknown) => {
    if (unstorable(key) || (typeof v === "string" && unstorable(v))) bad = true;
    return v;
  });
  if (bad) throw new SyntaxError("JSON that jsonb cannot store");
  return value;
}
