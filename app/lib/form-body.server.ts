import { data } from "react-router";

/**
 * The one way an action reads a form (ADR 028). `request.formData()` throws a TypeError for a body
 * that is not a form (text/plain, JSON, no Content-Type, multipart without its boundary, a broken
 * multipart) and buffers whatever size is sent; React Router turns that TypeError into a 500 with a
 * stack trace in the log. readForm answers those requests as what they are, a client's mistake:
 *   415 — not a form at all (wrong or missing Content-Type, multipart without a boundary);
 *   400 — a form that cannot be read, or a field holding a NUL character (PostgreSQL refuses it in
 *         text, so it could only ever end as a 500 further down);
 *   413 — more than `maxBytes` in the body, or a text field longer than MAX_FIELD_CHARS.
 * Each is thrown as `data({ message }, { status })` before anything is written, so the route's error
 * boundary shows the Japanese page and the log gets one line (app/entry.server.tsx handleError).
 * ESLint forbids `request.formData()` in app/ (eslint.config.js), so new actions come here too.
 */
export const DEFAULT_FORM_BYTES = 1024 * 1024;
/** No form field of ours holds more text than a broadcast or a pasted CSV; 256 KiB is far above both. */
export const MAX_FIELD_CHARS = 256 * 1024;

export const FORM_ERROR_MESSAGES = {
  415: "この送信形式は受け付けられません。ページを再読み込みしてから、画面のフォームからもう一度送信してください。",
  400: "送信された内容を読み取れませんでした。ページを再読み込みしてから、もう一度お試しください。",
  413: "送信された内容が大きすぎます。内容を減らしてから、もう一度お試しください。",
} as const;

export type FormErrorStatus = keyof typeof FORM_ERROR_MESSAGES;

/** The thrown value: a route error response (status + a Japanese message for the error page). */
export function formError(status: FormErrorStatus) {
  return data({ message: FORM_ERROR_MESSAGES[status] }, { status });
}

/** The status of a value readForm threw (a `data()` value until React Router turns it into a response), else null. */
export function formErrorStatus(e: unknown): number | null {
  const init = (e as { type?: string; init?: { status?: number } | null } | null)?.init;
  return (e as { type?: string } | null)?.type === "DataWithResponseInit" && typeof init?.status === "number"
    ? init.status
    : null;
}

/** 415 unless the Content-Type names a form React Router's fetch Request can parse. */
export function formContentType(request: Request): string {
  const type = request.headers.get("content-type") ?? "";
  const media = type.split(";")[0]!.trim().toLowerCase();
  if (media === "application/x-www-form-urlencoded") return type;
  // A multipart body cannot be split without its boundary parameter.
  if (media === "multipart/form-data" && /;\s*boundary=("?)[^";]+\1/i.test(type)) return type;
  throw formError(415);
}

export async function readForm(request: Request, opts: { maxBytes?: number } = {}): Promise<FormData> {
  const maxBytes = opts.maxBytes ?? DEFAULT_FORM_BYTES;
  const contentType = formContentType(request);
  const body = await readCapped(request, maxBytes);
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw formError(400);
  }
  for (const [name, value] of form) {
    if (name.includes("\0")) throw formError(400);
    if (typeof value === "string") {
      if (value.includes("\0")) throw formError(400);
      if (value.length > MAX_FIELD_CHARS) throw formError(413);
    } else if (value.name.includes("\0")) throw formError(400);
  }
  return form;
}

/** The body's bytes, refused with 413 as soon as they pass `maxBytes` (never buffered whole). */
async function readCapped(request: Request, maxBytes: number): Promise<Buffer<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw formError(413);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The client went away or sent a broken chunked body.
      throw formError(400);
    }
    if (chunk.done) break;
    total += chunk.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw formError(413);
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks);
}
