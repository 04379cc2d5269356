/**
 * Minimal MIME parsing for the SMTP capture server (smtp-capture.ts). Deliberately small (mailparser
 * is not a dependency): headers with RFC 2047 encoded-words, nested multiparts, base64 /
 * quoted-printable, any charset Node's TextDecoder knows. Good enough for what our own mailer sends,
 * not a general mail reader. Bodies are handled as "binary" (latin1) strings so that 8-bit content
 * keeps its bytes until the part's own charset is known.
 */

export type ParsedMessage = {
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
