import { randomUUID } from "node:crypto";
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { createContext } from "react-router";

/**
 * The one logger (ADR 035): pino, JSON lines on stdout in production, pino-pretty in development.
 * App code logs through `log()` or a child of it, never `console.*` or a hand-built JSON line
 * (ESLint `no-console`). Callers log ids, kinds and statuses; the redact list below is the second
 * line of defence for the day someone passes a whole object: secrets and residents' personal data
 * come out as "[Redacted]" at the top level and one level down (`{ body: { email } }`).
 */
export type { Logger };

const SENSITIVE_KEYS = [
  // Secrets
  "password",
  "currentPassword",
  "newPassword",
  "passwordHash",
  "token",
  "accessToken",
  "refreshToken",
  "idToken",
  "channelAccessToken",
  "channelSecret",
  "clientSecret",
  "secret",
  "apiKey",
  "otp",
  "code",
  "recoveryCode",
  "authorization",
  "Authorization",
  "cookie",
  "Cookie",
  "set-cookie",
  "Set-Cookie",
  // Residents' personal data
  "ticketNumber",
  "ticket",
  "email",
  "contactEmail",
  "to",
  "phone",
  "contactPhone",
  "tel",
  "name",
  "fullName",
  "kanaName",
  "displayName",
  "birthDate",
  "address",
  // Whole payloads (residents' messages, form posts)
  "body",
  "rawBody",
];

/** The paths pino redacts; exported for the test that proves them. */
export const REDACT_PATHS = [
  ...SENSITIVE_KEYS.flatMap((k) => (/^[A-Za-z]\w*$/.test(k) ? [k, `*.${k}`] : [`["${k}"]`, `*["${k}"]`])),
  "req.headers.cookie",
  "req.headers.authorization",
  "headers.cookie",
  "headers.authorization",
];

/**
 * A configured pino logger. `destination` is for tests (a stream to read the lines back);
 * the process logger is `log()`.
 */
export function createLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? process.env.LOG_LEVEL ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[Redacted]" },
  };
  // pino-pretty is a devDependency: loaded by name in a pino transport thread, only in development,
  // so production never requires it.
  if (!opts.destination && process.env.NODE_ENV === "development") {
    options.transport = { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" } };
  }
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

let root: Logger | undefined;

/** The process's logger (web, worker, scripts that log rather than print). */
export function log(): Logger {
  root ??= createLogger();
  return root;
}

/** A module's logger: `moduleLog("line").warn({ status }, "…")`. */
export function moduleLog(mod: string): Logger {
  return log().child({ mod });
}

/** The request's logger in React Router loaders, actions and middleware: `context.get(logContext)`. */
export const logContext = createContext<Logger>(log());

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/**
 * The route of a request as logged: the path with ids, codes and tokens (any segment with a digit)
 * replaced by ":id", so a confirmation code or a reset token never lands in the log.
 */
export function routeOf(url: string): string {
  const { pathname } = new URL(url, "http://x");
  return pathname
    .split("/")
    .map((s) => (/\d/.test(s) ? ":id" : s))
    .join("/");
}

/**
 * A child per request, carrying a request id (the proxy's `X-Request-Id` when it sends a sane one),
 * the route and, once known, the tenant id.
 */
export function requestLog(request: Request, fields: { tenantId?: string } = {}): Logger {
  const given = request.headers.get("x-request-id");
  return log().child({
    reqId: given && REQUEST_ID.test(given) ? given : randomUUID(),
    method: request.method,
    route: routeOf(request.url),
    ...fields,
  });
}

/**
 * A logger made on first use. Most requests log nothing, and a pino child costs a UUID, a URL parse
 * and the serialisation (with redaction) of its bindings: the root middleware hands every request
 * one of these instead (bench/results/before-after-2026-12-08.md). `.child()` stays lazy too.
 */
export function lazyLogger(make: () => Logger): Logger {
  let made: Logger | undefined;
  const real = () => (made ??= make());
  return new Proxy({} as Logger, {
    get(_target, prop) {
      if (prop === "child" && !made) return (bindings: pino.Bindings) => lazyLogger(() => real().child(bindings));
      const value: unknown = Reflect.get(real(), prop);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(real()) : value;
    },
    set(_target, prop, value) {
      return Reflect.set(real(), prop, value);
    },
  });
}

/** A child per job, carrying the job id, its queue and name, the attempt and the tenant id. */
export function jobLog(
  parent: Logger,
  job: { id?: string; name: string; queueName: string; attemptsMade: number; data: unknown },
): Logger {
  return parent.child({
    jobId: job.id,
    queue: job.queueName,
    job: job.name,
    tenantId: (job.data as { tenantId?: string } | undefined)?.tenantId,
    attempt: job.attemptsMade + 1,
  });
}
