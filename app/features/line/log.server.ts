import { moduleLog, type Logger } from "~/lib/log.server";

/**
 * The LINE slice's logger: a child of the one logger (~/lib/log.server, which redacts secrets and
 * personal data). Callers log ids, event types and HTTP statuses only: never a request body
 * (residents' messages), a channel secret or an access token.
 */
let logger: Logger | undefined;

export function lineLog(): Logger {
  logger ??= moduleLog("line");
  return logger;
}
