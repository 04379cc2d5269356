import type { IncomingMessage } from "node:http";
import type { LimitClass } from "./limits";
import type { Channel, EmulatorState } from "./state";

/**
 * Plumbing shared by every route: what a handler receives (Ctx) and returns (Reply), and the error
 * type handlers throw to answer with a LINE-shaped error body instead of building it by hand.
 */

export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export type Reply = {
  status: number;
  /** JSON body; ignored when `raw` is set. LINE answers `{}` for calls with no payload. */
  body?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
};

export type Ctx = {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  requestId: string;
  state: EmulatorState;
  body: Buffer;
  /** Route template ("POST /v2/bot/message/push"), the key for per-endpoint stats. */
  endpoint: string;
};

/** LINE routes get the channel the bearer token belongs to; the router has already authenticated it. */
export type LineHandler = (ctx: Ctx, channel: Channel) => Reply | Promise<Reply>;
export type PlainHandler = (ctx: Ctx) => Reply | Promise<Reply>;

/** `path` uses `:name` segments. `limit` is the rate-limit class the request is counted against. */
export type Route =
  | { kind: "line"; method: string; path: string; limit: LimitClass; handler: LineHandler }
  | { kind: "plain"; method: string; path: string; handler: PlainHandler };

export const line = (method: string, path: string, limit: LimitClass, handler: LineHandler): Route => ({
  kind: "line",
  method,
  path,
  limit,
  handler,
});
export const plain = (method: string, path: string, handler: PlainHandler): Route => ({
  kind: "plain",
  method,
  path,
  handler,
});

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

export type ErrorDetail = { message: string; property?: string };

/** LINE's ErrorResponse for request-body problems: a count in `message`, one detail per problem. */
export function validationError(details: ErrorDetail[]): HttpError {
  return new HttpError(400, { message: `The request body has ${details.length} error(s)`, details });
}

export const badRequest = (message: string): HttpError => new HttpError(400, { message });
export const notFound = (message = "Not found"): HttpError => new HttpError(404, { message });
export const ok = (body: unknown = {}): Reply => ({ status: 200, body });

/** The JSON body as an object; LINE treats a non-object body the same as unparsable JSON. */
export function jsonObject(ctx: Ctx): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.body.toString("utf8"));
  } catch (_err) {
    throw validationError([{ message: "The request body could not be parsed as JSON" }]);
  }
  if (!isRecord(parsed)) throw validationError([{ message: "The request body must be a JSON object" }]);
  return parsed;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Reads the whole body, up to MAX_BODY_BYTES. Past the limit the rest is drained and dropped rather
 * than the socket being cut, so the client still gets to read our 413 instead of an EPIPE.
 */
export function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        // A client streaming without end would otherwise keep us draining forever.
        if (size > 64 * MAX_BODY_BYTES) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on("error", reject);
  });
}
