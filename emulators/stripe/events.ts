import { createHmac } from "node:crypto";
import { API_VERSION, newId, nowSeconds, type Delivery, type FakeState, type StripeEvent } from "./state";

/**
 * Events and signed webhook deliveries. Every state change the fake makes records an event (with the
 * object as it is now and, for updates, `previous_attributes`) and POSTs it to the configured
 * endpoint, signed as Stripe signs: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>" keyed with the endpoint secret>`. Deliveries go out one at a time in creation order
 * after the API response (as Stripe's do); `flush()` waits until the queue is empty.
 */

export function signPayload(payload: string, secret: string, timestamp = nowSeconds()): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

export type RequestInfo = { id: string | null; idempotencyKey: string | null };

export class EventBus {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: FakeState,
    private readonly timeoutMs: number,
  ) {}

  emit(
    type: string,
    object: unknown,
    previous?: Record<string, unknown>,
    request: RequestInfo = { id: null, idempotencyKey: null },
  ): StripeEvent {
    const event: StripeEvent = {
      id: newId("evt", 24),
      object: "event",
      api_version: API_VERSION,
      created: nowSeconds(),
      livemode: false,
      pending_webhooks: this.state.webhook.url ? 1 : 0,
      type,
      // A snapshot: later changes to the object must not rewrite history.
      data: previous
        ? { object: structuredClone(object), previous_attributes: previous }
        : { object: structuredClone(object) },
      request: { id: request.id, idempotency_key: request.idempotencyKey },
    };
    this.state.events.push(event);
    if (this.state.events.length > 10_000) this.state.events.shift();
    const url = this.state.webhook.url;
    if (url) {
      const delivery: Delivery = {
        id: newId("whdel", 16),
        eventId: event.id,
        type,
        url,
        attempts: 0,
        status: null,
        error: null,
        deliveredAt: null,
        signature: null,
      };
      this.state.deliveries.push(delivery);
      if (this.state.deliveries.length > 10_000) this.state.deliveries.shift();
      this.enqueue(() => this.deliver(delivery, event));
    }
    return event;
  }

  /** Sends an event again (same id, same payload, new signature), as the dashboard's "Resend" does. */
  redeliver(deliveryId: string): Promise<Delivery> | null {
    const old = this.state.deliveries.find((d) => d.id === deliveryId);
    const event = old && this.state.events.find((e) => e.id === old.eventId);
    if (!old || !event) return null;
    return new Promise((resolve) => this.enqueue(async () => resolve(await this.deliver(old, event))));
  }

  /** Resolves once every delivery queued so far has been attempted. */
  flush(): Promise<void> {
    return this.chain;
  }

  private enqueue(task: () => Promise<unknown>) {
    this.chain = this.chain.then(task).then(
      () => undefined,
      () => undefined,
    );
  }

  private async deliver(delivery: Delivery, event: StripeEvent): Promise<Delivery> {
    const payload = JSON.stringify(event, null, 2);
    const signature = signPayload(payload, this.state.webhook.secret);
    delivery.attempts++;
    delivery.signature = signature;
    try {
      const res = await fetch(delivery.url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": signature,
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
        body: payload,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      delivery.status = res.status;
      delivery.error = res.ok ? null : (await res.text()).slice(0, 500);
      await res.body?.cancel().catch(() => {});
    } catch (err) {
      delivery.status = null;
      delivery.error = err instanceof Error ? err.message : String(err);
    }
    delivery.deliveredAt = new Date().toISOString();
    return delivery;
  }
}
