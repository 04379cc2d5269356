import { createWriteStream, type WriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_UPLOAD_BYTES } from "./roster-view";

/**
 * Receives one file from a multipart/form-data request by streaming the body to a temp file, so a
 * 50 MB roster never sits in memory (request.formData() would buffer all of it). React Router
 * 7.18.4 ships no multipart parser and the project adds no dependency for one, hence this small
 * state machine. Only the part named `field` is kept; other fields are read past and dropped.
 */

export { MAX_UPLOAD_BYTES };

export type SavedUpload = { path: string; filename: string; bytes: number; cleanup: () => Promise<void> };
export type UploadResult = { ok: true; file: SavedUpload } | { ok: false; message: string };

export const UPLOAD_MESSAGES = {
  notMultipart: "ファイルを選んで送信してください。",
  noFile: "CSVファイルを選んでください。",
  empty: "選んだファイルが空です。",
  tooLarge: `ファイルが大きすぎます（上限 ${MAX_UPLOAD_BYTES / 1024 / 1024}MB）。ファイルを分けて取り込んでください。`,
  broken: "ファイルを受け取れませんでした。もう一度送信してください。",
} as const;

class UploadRefused extends Error {}

const CRLF2 = Buffer.from("\r\n\r\n");
const MAX_HEADER_BYTES = 16 * 1024;

export async function saveUploadedFile(
  request: Request,
  opts: { field: string; maxBytes?: number },
): Promise<UploadResult> {
  const maxBytes = opts.maxBytes ?? MAX_UPLOAD_BYTES;
  const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(
    request.headers.get("content-type") ?? "",
  );
  if (!boundary || !request.body) return { ok: false, message: UPLOAD_MESSAGES.notMultipart };
  // Refuse an announced oversize body before reading it; the byte count below catches the rest.
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes + MAX_HEADER_BYTES)
    return { ok: false, message: UPLOAD_MESSAGES.tooLarge };

  const dir = await mkdtemp(join(tmpdir(), "mdg-roster-"));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, "upload.csv");
  const reader = request.body.getReader();
  // One mutable record, written by the part callbacks below.
  const sink: { out?: WriteStream; filename: string; bytes: number } = { filename: "", bytes: 0 };
  try {
    await parseMultipart(reader, boundary[1] ?? boundary[2]!, {
      onPart(headers) {
        const disposition = parseDisposition(headers["content-disposition"] ?? "");
        if (disposition.name !== opts.field || disposition.filename === null || sink.out) return false;
        sink.filename = cleanFilename(disposition.filename);
        sink.out = createWriteStream(path, { flags: "wx" });
        return true;
      },
      async onData(chunk) {
        sink.bytes += chunk.length;
        if (sink.bytes > maxBytes) throw new UploadRefused(UPLOAD_MESSAGES.tooLarge);
        if (!sink.out!.write(chunk)) await new Promise<void>((r) => sink.out!.once("drain", () => r()));
      },
    });
    if (!sink.out) throw new UploadRefused(UPLOAD_MESSAGES.noFile);
    await closeStream(sink.out);
    // A form sent with no file chosen still carries the part, with an empty filename and no data.
    if (!sink.filename && sink.bytes === 0) throw new UploadRefused(UPLOAD_MESSAGES.noFile);
    if (sink.bytes === 0) throw new UploadRefused(UPLOAD_MESSAGES.empty);
    return { ok: true, file: { path, filename: sink.filename || "roster.csv", bytes: sink.bytes, cleanup } };
  } catch (e) {
    await reader.cancel().catch(() => {});
    if (sink.out) await closeStream(sink.out).catch(() => {});
    await cleanup();
    if (e instanceof UploadRefused) return { ok: false, message: e.message };
    throw e;
  }
}

type PartHandlers = {
  /** Return true to receive the part's body through onData. */
  onPart(headers: Record<string, string>): boolean;
  onData(chunk: Buffer): Promise<void>;
};

/**
 * The body is `--B CRLF headers CRLF CRLF data CRLF --B … CRLF --B--`. Searching for CRLF--B with a
 * CRLF put in front of the stream treats the first delimiter like the others. Data is passed on as
 * soon as it cannot be the start of a delimiter (all but the last delimiter-length bytes).
 */
async function parseMultipart(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  boundary: string,
  handlers: PartHandlers,
) {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buf: Buffer = Buffer.from("\r\n");
  let state: "preamble" | "afterDelimiter" | "headers" | "body" | "done" = "preamble";
  let receiving = false;
  let eof = false;
  while (state !== "done") {
    if (!eof) {
      const { value, done } = await reader.read();
      if (done) eof = true;
      else buf = buf.length ? Buffer.concat([buf, value]) : Buffer.from(value);
    }
    let progressed = true;
    while (progressed && state !== "done") {
      progressed = false;
      if (state === "preamble" || state === "body") {
        const at = buf.indexOf(delimiter);
        const safe = at === -1 ? Math.max(0, buf.length - delimiter.length + 1) : at;
        if (state === "body" && receiving && safe > 0) await handlers.onData(buf.subarray(0, safe));
        buf = buf.subarray(safe);
        if (at !== -1) {
          buf = buf.subarray(delimiter.length);
          state = "afterDelimiter";
          progressed = true;
        }
      } else if (state === "afterDelimiter" && buf.length >= 2) {
        const next = buf.subarray(0, 2).toString("latin1");
        if (next === "--") state = "done";
        else if (next === "\r\n") {
          buf = buf.subarray(2);
          state = "headers";
          progressed = true;
        } else throw new UploadRefused(UPLOAD_MESSAGES.broken);
      } else if (state === "headers") {
        const end = buf.indexOf(CRLF2);
        if (end === -1) {
          if (buf.length > MAX_HEADER_BYTES) throw new UploadRefused(UPLOAD_MESSAGES.broken);
          break;
        }
        receiving = handlers.onPart(parseHeaders(buf.subarray(0, end).toString("utf8")));
        buf = buf.subarray(end + CRLF2.length);
        state = "body";
        progressed = true;
      }
    }
    // Copy the small remainder so the big chunk it points into can be garbage-collected.
    buf = Buffer.from(buf);
    if (eof && state !== "done") throw new UploadRefused(UPLOAD_MESSAGES.broken);
  }
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Browsers send `filename="名簿.csv"` as raw UTF-8; some clients use RFC 5987 `filename*=UTF-8''…`. */
export function parseDisposition(value: string): { name: string | null; filename: string | null } {
  const param = (key: string) =>
    new RegExp(`(?:^|;)\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, "i").exec(value)?.[1]?.replace(/\\(.)/g, "$1") ??
    new RegExp(`(?:^|;)\\s*${key}=([^;\\s]+)`, "i").exec(value)?.[1] ??
    null;
  const extended = /(?:^|;)\s*filename\*=UTF-8''([^;\s]+)/i.exec(value)?.[1];
  let filename = param("filename");
  if (extended) {
    try {
      filename = decodeURIComponent(extended);
    } catch {
      /* keep the plain filename */
    }
  }
  return { name: param("name"), filename };
}

/** The name as staff chose it, for display only: no path, no control characters, bounded length. */
function cleanFilename(name: string) {
  return (name.split(/[\\/]/).pop() ?? "")
    .split("")
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join("")
    .trim()
    .slice(0, 200);
}

function closeStream(stream: WriteStream) {
  return new Promise<void>((resolve, reject) => {
    if (stream.closed) return resolve();
    stream.once("error", reject);
    stream.end(() => resolve());
  });
}
