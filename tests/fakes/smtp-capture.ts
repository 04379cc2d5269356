import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import { parseMessage } from "./mime";

/**
 * Embedded SMTP capture server for dev, `npm run demo`, Vitest and Playwright: every message it
 * accepts becomes one JSON file in a directory, which /dev/mail and the tests read back.
 * Messages are parsed by ./mime.ts (minimal, for what our own mailer sends).
 */

export type CapturedMail = {
  /** Sortable by arrival: newer ids compare greater. Also the file name (without .json). */
  id: string;
  /** ISO 8601, when this server accepted the message. */
  receivedAt: string;
  /** The decoded From header ("名前 <addr>"), else the envelope sender. */
  from: string;
  /** Bare addresses: the To header first, then any other envelope recipients (Cc, Bcc). */
  to: string[];
  subject: string;
  /** The Date header as ISO 8601, when present and valid. */
  date: string | null;
  /** The text/plain body ("" when the message has none). */
  text: string;
  /** The text/html body, null when the message has none. */
  html: string | null;
};

export type SmtpCaptureOptions = { host?: string; port: number; dir: string };

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
const ID_PATTERN = /^\d{13}-\d{6}-[0-9a-f]{8}$/;

export function isCapturedMailId(value: string): boolean {
  return ID_PATTERN.test(value);
}

export async function startSmtpCapture({ host = "127.0.0.1", port, dir }: SmtpCaptureOptions): Promise<{
  port: number;
  close(): Promise<void>;
}> {
  const mailboxDir = resolve(dir);
  await mkdir(mailboxDir, { recursive: true });
  const pending = new Set<Promise<unknown>>();

  const server = new SMTPServer({
    name: "smtp-capture.local",
    banner: "madoguchi smtp capture (dev/test only)",
    authOptional: true,
    // Any credentials in SMTP_URL must not break delivery, and there is no TLS to protect them.
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? "anonymous" }),
    disabledCommands: ["STARTTLS"],
    hideSTARTTLS: true,
    size: MAX_MESSAGE_BYTES,
    disableReverseLookup: true,
    // Pooled clients keep idle connections open; without this, close() would wait 30 s for them.
    closeTimeout: 1000,
    logger: false,
    onData(stream, session, callback) {
      const job = receive(stream, session, mailboxDir);
      pending.add(job);
      job.then(
        () => callback(),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
      void job.catch(() => {}).finally(() => pending.delete(job));
    },
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    const onError = (err: Error) => rejectListen(err);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolveListen();
    });
  });
  // Client-side resets are emitted as server errors; unhandled, they would crash the host process.
  server.on("error", (err: Error & { code?: string }) => {
    if (err.code === "ECONNRESET" || err.code === "EPIPE") return;
    console.error(`[smtp-capture] ${err.code ?? err.name}: ${err.message}`);
  });

  const bound = (server.server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    port: bound,
    close() {
      closing ??= (async () => {
        await new Promise<void>((done) => server.close(() => done()));
        await Promise.allSettled([...pending]);
      })();
      return closing;
    },
  };
}

async function receive(stream: SMTPServerDataStream, session: SMTPServerSession, dir: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  if (stream.sizeExceeded) {
    throw Object.assign(new Error("Message exceeds fixed maximum message size"), { responseCode: 552 });
  }
  const parsed = parseMessage(Buffer.concat(chunks));
  const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
  const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
  const to = [...parsed.to];
  for (const address of envelopeTo) if (!to.some((a) => a.toLowerCase() === address.toLowerCase())) to.push(address);

  const id = nextId();
  const mail: CapturedMail = {
    id,
    receivedAt: new Date(Number(id.slice(0, 13))).toISOString(),
    from: parsed.from || envelopeFrom,
    to,
    subject: parsed.subject,
    date: parsed.date,
    text: parsed.text,
    html: parsed.html,
  };
  // Readers list *.json only, so they never see a half-written file.
  const tmp = join(dir, `.${id}.json.tmp`);
  await writeFile(tmp, JSON.stringify(mail, null, 2), "utf8");
  await rename(tmp, join(dir, `${id}.json`));
}

let lastMs = 0;
let seq = 0;
/** Millisecond time + per-process sequence, so two mails in the same millisecond still sort. */
function nextId(): string {
  const now = Math.max(Date.now(), lastMs);
  seq = now === lastMs ? seq + 1 : 0;
  lastMs = now;
  return `${String(now).padStart(13, "0")}-${String(seq).padStart(6, "0")}-${randomBytes(4).toString("hex")}`;
}

/** All captured mails, newest first. A missing directory is an empty mailbox. */
export async function readMailbox(dir: string): Promise<CapturedMail[]> {
  const ids = (await listMailIds(dir)).sort().reverse();
  const mails = await Promise.all(ids.map((id) => readCapturedMail(dir, id)));
  return mails.filter((m): m is CapturedMail => m !== null);
}

async function listMailIds(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((n) => n.endsWith(".json") && isCapturedMailId(n.slice(0, -5))).map((n) => n.slice(0, -5));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

/** One mail by id, or null (unknown id, deleted meanwhile, or not a valid id at all). */
export async function readCapturedMail(dir: string, id: string): Promise<CapturedMail | null> {
  if (!isCapturedMailId(id)) return null;
  try {
    return JSON.parse(await readFile(join(dir, `${id}.json`), "utf8")) as CapturedMail;
  } catch (err) {
    // Cleared between listing and reading: not an error for a mailbox view.
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/** Deletes every captured mail; the directory itself stays (a running server writes into it). */
export async function clearMailbox(dir: string): Promise<void> {
  const ids = await listMailIds(dir);
  await Promise.all(
    ids.map((id) =>
      unlink(join(dir, `${id}.json`)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== "ENOENT") throw err;
      }),
    ),
  );
}

/**
 * Polls until a mail matching `match` arrives (sending goes through the outbox and a worker, so
 * tests cannot know when it lands). Only mails received after `since` count, if given.
 */
export async function waitForMail(
  dir: string,
  match: (mail: CapturedMail) => boolean,
  { timeoutMs = 10_000, intervalMs = 100, since }: { timeoutMs?: number; intervalMs?: number; since?: Date } = {},
): Promise<CapturedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await readMailbox(dir)).find(
      (m) => (!since || Date.parse(m.receivedAt) >= since.getTime()) && match(m),
    );
    if (found) return found;
    if (Date.now() >= deadline) throw new Error(`waitForMail: no matching mail in ${dir} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
