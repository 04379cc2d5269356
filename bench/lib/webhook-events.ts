import { createHash } from "node:crypto";
import { lineEvents, signLineBody, webhookBody } from "../../tests/factories/line";

/**
 * Signed LINE `message` events for bench/webhook.ts: 2,000 residents writing realistic Japanese text,
 * each event unique (its own webhookEventId and message id) and signed with the channel secret.
 */
const texts = [
  "こんにちは",
  "予約の変更をしたいです",
  "接種券をなくしました。再発行はできますか？",
  "駐車場はありますか",
  "メニュー",
  "ありがとうございました！",
  "会場までの行き方を教えてください",
  "キャンセル",
];
const userIds = Array.from(
  { length: 2_000 },
  (_, i) => `U${createHash("md5").update(`bench-user-${i}`).digest("hex")}`,
);
export type Event = ReturnType<typeof lineEvents.text>;
export type Batch = { events: Event[]; bodies: string[]; signatures: string[] };

export function createBatchMaker(channel: { botUserId: string; channelSecret: string }) {
  let eventSeq = 0;
  return function makeBatch(n: number): Batch {
    const events: Event[] = [];
    const bodies: string[] = [];
    const signatures: string[] = [];
    for (let i = 0; i < n; i++) {
      const seq = eventSeq++;
      const event = lineEvents.text({ userId: userIds[seq % userIds.length]!, text: texts[seq % texts.length]! });
      event.message.id = String(500_000_000_000_000 + seq);
      const body = webhookBody([event], channel.botUserId);
      events.push(event);
      bodies.push(body);
      signatures.push(signLineBody(body, channel.channelSecret));
    }
    return { events, bodies, signatures };
  };
}
