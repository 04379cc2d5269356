import { readMailbox } from "../../fakes/smtp-capture";
import { MAILBOX_DIR } from "./stack";

export type Mail = Awaited<ReturnType<typeof readMailbox>>[number];

export type LatestMailOptions = {
  /** Only mail received at or after this moment counts (take it just before the action that sends). */
  since?: Date;
  /** Only mail whose subject contains this text (or matches this pattern) counts. */
  subject?: string | RegExp;
  /** How long to poll; mail goes through the outbox and the worker first. Default 10 s. */
  timeoutMs?: number;
  /** Mailbox to read; default the e2e stack's (DEMO_MAILBOX_DIR). */
  dir?: string;
};

function bareAddress(value: string): string {
  return (/<([^<>]+)>/.exec(value)?.[1] ?? value).trim().toLowerCase();
}

/**
 * The newest mail captured by the stack's SMTP capture for `address` (case-insensitive), polling
 * until one arrives. Throws after the timeout, naming the recipients that were seen instead.
 */
export async function latestMailTo(address: string, options: LatestMailOptions = {}): Promise<Mail> {
  const { since, subject, timeoutMs = 10_000, dir = MAILBOX_DIR } = options;
  const wanted = bareAddress(address);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await readMailbox(dir); // newest first; a missing directory is an empty mailbox
    const found = mails.find(
      (m) =>
        m.to.some((to) => bareAddress(to) === wanted) &&
        (!since || Date.parse(m.receivedAt) >= since.getTime()) &&
        (subject === undefined ||
          (typeof subject === "string" ? m.subject.includes(subject) : subject.test(m.subject))),
    );
    if (found) return found;
    if (Date.now() >= deadline) {
      const seen = [...new Set(mails.slice(0, 10).flatMap((m) => m.to))].join(", ") || "none";
      throw new Error(
        `latestMailTo: no mail to ${address}${subject ? ` with subject ${String(subject)}` : ""} in ${dir} within ${timeoutMs} ms (recent recipients: ${seen})`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
