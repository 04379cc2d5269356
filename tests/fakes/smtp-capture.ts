import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";

/**
 * Embedded SMTP capture server for dev, `npm run demo`, Vitest and Playwright: every message it
 * accepts becomes one JSON file in a directory, which /dev/mail and the tests read back.
 *
 * The MIME parsing below is deliberately minimal (mailparser is not a dependency): headers with
 * RFC 2047 encoded-words, nested multiparts, base64 / quoted-printable, any charset Node's
 * TextDecoder knows. It is good enough for what our own mailer sends, not a general mail reader.
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

// ---------------------------------------------------------------------------------------------
// Minimal MIME parsing. Bodies are handled as "binary" (latin1) strings so that 8-bit content
// keeps its bytes until the part's own charset is known.

type ParsedMessage = {
  from: string;
  to: string[];
  subject: string;
  date: string | null;
  text: string;
  html: string | null;
};
type Headers = Map<string, string[]>;

export function parseMessage(raw: Buffer): ParsedMessage {
  const { headers, body } = splitEntity(raw.toString("latin1"));
  const header = (name: string) => headers.get(name)?.[0];
  const dateValue = header("date");
  const dateMs = dateValue ? Date.parse(dateValue) : NaN;
  const bodies = { text: null as string | null, html: null as string | null };
  collectBodies(headers, body, bodies, 0);
  return {
    from: decodeHeader(header("from") ?? ""),
    to: (headers.get("to") ?? []).flatMap((v) => extractAddresses(decodeHeader(v))),
    subject: decodeHeader(header("subject") ?? ""),
    date: Number.isNaN(dateMs) ? null : new Date(dateMs).toISOString(),
    text: bodies.text ?? "",
    html: bodies.html,
  };
}

function splitEntity(entity: string): { headers: Headers; body: string } {
  const match = /\r?\n\r?\n/.exec(entity);
  const head = match ? entity.slice(0, match.index) : entity;
  const body = match ? entity.slice(match.index + match[0].length) : "";
  const headers: Headers = new Map();
  // Raw 8-bit header bytes are taken as UTF-8 (SMTPUTF8 senders); encoded-words come after.
  const unfolded = Buffer.from(head, "latin1")
    .toString("utf8")
    .replace(/\r?\n(?=[ \t])/g, "");
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const list = headers.get(name) ?? [];
    list.push(line.slice(colon + 1).trim());
    headers.set(name, list);
  }
  return { headers, body };
}

function collectBodies(
  headers: Headers,
  body: string,
  out: { text: string | null; html: string | null },
  depth: number,
) {
  const { type, params } = parseContentType(headers.get("content-type")?.[0]);
  if (type.startsWith("multipart/")) {
    if (!params.boundary || depth > 10) return;
    for (const part of splitMultipart(body, params.boundary)) {
      const entity = splitEntity(part);
      collectBodies(entity.headers, entity.body, out, depth + 1);
    }
    return;
  }
  if (type !== "text/plain" && type !== "text/html") return;
  if (/^\s*attachment/i.test(headers.get("content-disposition")?.[0] ?? "")) return;
  const bytes = decodeTransfer(body, headers.get("content-transfer-encoding")?.[0]);
  const text = decodeCharset(bytes, params.charset).replace(/\r\n/g, "\n");
  if (type === "text/plain" && out.text === null) out.text = text;
  if (type === "text/html" && out.html === null) out.html = text;
}

function splitMultipart(body: string, boundary: string): string[] {
  const parts: string[] = [];
  const lines = body.split(/\r?\n/);
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.replace(/[ \t]+$/, "");
    if (trimmed === `--${boundary}--`) {
      if (current) parts.push(current.join("\r\n"));
      return parts;
    }
    if (trimmed === `--${boundary}`) {
      if (current) parts.push(current.join("\r\n"));
      current = [];
      continue;
    }
    current?.push(line);
  }
  // Unterminated multipart: keep what arrived rather than losing the last part.
  if (current) parts.push(current.join("\r\n"));
  return parts;
}

function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  if (!value) return { type: "text/plain", params: {} };
  const [rawType = "", ...rest] = splitOutsideQuotes(value, ";");
  const params: Record<string, string> = {};
  for (const piece of rest) {
    const eq = piece.indexOf("=");
    if (eq <= 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    let val = piece.slice(eq + 1).trim();
    if (val.startsWith('"') && val.endsWith('"') && val.length >= 2) val = val.slice(1, -1).replace(/\\(.)/g, "$1");
    params[key] = val;
  }
  return { type: rawType.trim().toLowerCase() || "text/plain", params };
}

function splitOutsideQuotes(value: string, separator: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === "\\" && quoted && i + 1 < value.length) {
      current += ch + value[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === separator && !quoted) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out;
}

function decodeTransfer(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ""), "base64");
    case "quoted-printable":
      return decodeQuotedPrintable(body);
    default:
      return Buffer.from(body, "latin1");
  }
}

function decodeQuotedPrintable(body: string): Buffer {
  const softBreaksRemoved = body.replace(/[ \t]+(?=\r?\n)/g, "").replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < softBreaksRemoved.length; i++) {
    const ch = softBreaksRemoved[i]!;
    const hex = softBreaksRemoved.slice(i + 1, i + 3);
    if (ch === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(softBreaksRemoved.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  const label = (charset ?? "utf-8").trim().toLowerCase();
  try {
    return new TextDecoder(label === "us-ascii" ? "utf-8" : label).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/** RFC 2047: adjacent encoded-words in one charset are joined as bytes first, since senders may split a multi-byte character between them. */
export function decodeHeader(value: string): string {
  let out = "";
  let last = 0;
  let run: { charset: string; bytes: Buffer[] } | null = null;
  const flush = () => {
    if (run) out += decodeCharset(Buffer.concat(run.bytes), run.charset);
    run = null;
  };
  for (const m of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, m.index);
    const charset = m[1]!.split("*")[0]!.toLowerCase();
    const bytes = m[2]!.toUpperCase() === "B" ? Buffer.from(m[3]!, "base64") : decodeQ(m[3]!);
    const adjacent = run !== null && /^[ \t\r\n]*$/.test(between);
    if (adjacent && run!.charset === charset) {
      run!.bytes.push(bytes);
    } else {
      flush();
      // Whitespace between two encoded-words is not part of the text (RFC 2047 §6.2).
      if (!adjacent) out += between;
      run = { charset, bytes: [bytes] };
    }
    last = m.index + m[0].length;
  }
  flush();
  return (out + value.slice(last)).trim();
}

function decodeQ(text: string): Buffer {
  return decodeQuotedPrintable(text.replace(/_/g, " "));
}

function extractAddresses(value: string): string[] {
  const out: string[] = [];
  for (const piece of splitOutsideQuotes(value, ",")) {
    const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(piece);
    const bare = /[^\s<>"(),;:]+@[^\s<>"(),;:]+/.exec(piece.replace(/"[^"]*"/g, ""));
    const address = angle?.[1] ?? bare?.[0];
    if (address) out.push(address);
  }
  return out;
}
