import { HTTPFetchError } from "@line/bot-sdk";

/**
 * One error type for every LINE call. It carries the HTTP status and LINE's own message, never a
 * request header (the access token) or a request body (residents' data), so it is safe to log and
 * to store in a job's failure reason.
 */
export type LineErrorKind =
  | "bad_request" // 400: invalid message, expired reply token, invalid ID token
  | "unauthorized" // 401: wrong or revoked access token
  | "forbidden" // 403: the channel may not use this API
  | "not_found" // 404
  | "conflict" // 409 without a retry key
  | "rate_limited" // 429: too many requests (retried)
  | "quota_exceeded" // 429: monthly message limit reached (not retried: it will not pass today)
  | "server" // 5xx (retried)
  | "timeout" // no answer in time (retried)
  | "network"; // connection refused / reset (retried)

export class LineApiError extends Error {
  readonly kind: LineErrorKind;
  readonly status: number | null;
  readonly lineMessage: string | null;
  readonly retryAfterMs: number | null;

  constructor(
    operation: string,
    kind: LineErrorKind,
    opts: { status?: number | null; lineMessage?: string | null; retryAfterMs?: number | null } = {},
  ) {
    const status = opts.status ?? null;
    super(
      `LINE ${operation}: ${kind}${status ? ` (${status})` : ""}${opts.lineMessage ? `: ${opts.lineMessage}` : ""}`,
    );
    this.name = "LineApiError";
    this.kind = kind;
    this.status = status;
    this.lineMessage = opts.lineMessage ?? null;
    this.retryAfterMs = opts.retryAfterMs ?? null;
  }

  get retryable() {
    return this.kind === "rate_limited" || this.kind === "server" || this.kind === "timeout" || this.kind === "network";
  }
}

export class LineTimeoutError extends Error {
  constructor() {
    super("timeout");
    this.name = "LineTimeoutError";
  }
}

/**
 * LINE's error body is `{"message": "...", "details": [...]}` (OAuth endpoints: `error_description`);
 * keep the message only, bounded.
 */
function lineMessageOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error_description?: unknown };
    const message = parsed.message ?? parsed.error_description;
    return typeof message === "string" ? message.slice(0, 300) : null;
  } catch {
    return null;
  }
}

function retryAfterMs(headers: Headers | undefined): number | null {
  const v = headers?.get("retry-after");
  if (!v) return null;
  const seconds = Number(v);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

/** Maps whatever a call threw (bot-sdk HTTPFetchError, fetch TypeError, our timeout) to LineApiError. */
export function toLineError(operation: string, e: unknown, redact: string[] = []): LineApiError {
  if (e instanceof LineApiError) return e;
  if (e instanceof LineTimeoutError) return new LineApiError(operation, "timeout");
  if (
    e instanceof HTTPFetchError ||
    (e instanceof Error && typeof (e as { status?: unknown }).status === "number" && "body" in e)
  ) {
    const err = e as HTTPFetchError;
    let message = lineMessageOf(err.body ?? "");
    // Defence in depth: LINE never echoes the token, but a proxy error page might.
    for (const s of redact) if (s && message?.includes(s)) message = message.split(s).join("[redacted]");
    const status = err.status;
    const kind: LineErrorKind =
      status === 400
        ? "bad_request"
        : status === 401
          ? "unauthorized"
          : status === 403
            ? "forbidden"
            : status === 404
              ? "not_found"
              : status === 409
                ? "conflict"
                : status === 429
                  ? /monthly limit/i.test(message ?? "")
                    ? "quota_exceeded"
                    : "rate_limited"
                  : status >= 500
                    ? "server"
                    : "bad_request";
    return new LineApiError(operation, kind, { status, lineMessage: message, retryAfterMs: retryAfterMs(err.headers) });
  }
  // fetch() rejects with a TypeError for connection failures; its cause names the code only.
  return new LineApiError(operation, "network");
}
