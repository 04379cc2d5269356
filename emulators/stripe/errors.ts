/**
 * Stripe's error body: `{ error: { type, message, param?, code?, doc_url? } }`. stripe-node turns the
 * `type` into its error classes (invalid_request_error → StripeInvalidRequestError, idempotency_error
 * → StripeIdempotencyError, card_error → StripeCardError, …) and keeps `code`, `param` and the status.
 */
export type StripeErrorType =
  "invalid_request_error" | "api_error" | "card_error" | "idempotency_error" | "authentication_error";

export class StripeFakeError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly extra: { param?: string; code?: string } = {},
  ) {
    super(message);
  }

  body() {
    return {
      error: {
        type: this.type,
        message: this.message,
        ...this.extra,
        ...(this.extra.code
          ? { doc_url: `https://stripe.com/docs/error-codes/${this.extra.code.replace(/_/g, "-")}` }
          : {}),
      },
    };
  }
}

export const missing = (kind: string, id: string, param = "id") =>
  new StripeFakeError(404, "invalid_request_error", `No such ${kind}: '${id}'`, { param, code: "resource_missing" });
