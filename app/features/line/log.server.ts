import pino from "pino";
import { env } from "~/lib/env.server";

/**
 * The LINE slice's logger. Callers log ids, event types and HTTP statuses only: never a request
 * body (residents' messages), a channel secret or an access token. The redact list is a second
 * line of defence should someone pass a whole object.
 */
let logger: pino.Logger | undefined;

export function lineLog(): pino.Logger {
  logger ??= pino({
    level: env().LOG_LEVEL,
    base: { mod: "line" },
    redact: {
      paths: [
        "channelSecret",
        "channelAccessToken",
        "*.channelSecret",
        "*.channelAccessToken",
        "rawBody",
        "body",
        "authorization",
        "*.authorization",
      ],
      censor: "[redacted]",
    },
  });
  return logger;
}
