import { readFile, stat } from "node:fs/promises";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { parseDisposition, saveUploadedFile, UPLOAD_MESSAGES } from "./upload.server";

/** A real multipart body as undici builds it from FormData, optionally re-chunked into tiny pieces. */
async function multipartRequest(form: FormData, chunkSize?: number) {
  const encoded = new Request("http://x/upload", { method: "POST", body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  const type = encoded.headers.get("content-type")!;
  const size = chunkSize ?? body.length;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < body.length; i += size) controller.enqueue(new Uint8Array(body.subarray(i, i + size)));
      controller.close();
    },
  });
  return new Request("http://x/upload", {
    method: "POST",
    body: stream,
    headers: { "content-type": type },
    duplex: "half",
  } as RequestInit);
}

describe("saveUploadedFile", () => {
  const sjis = iconv.encode("氏名,接種券番号,生年月日\r\n髙橋 一郎,1234567890,S35.1.1\r\n", "cp932");

  it.each([undefined, 1, 3, 17, 64])(
    "streams the named file part byte for byte to a temp file (chunks of %s)",
    async (chunkSize) => {
      const form = new FormData();
      form.append("note", "ignored\r\n--not-a-boundary");
      form.append("file", new Blob([new Uint8Array(sjis)]), "名簿 2026.csv");
      form.append("after", "also ignored");
      const r = await saveUploadedFile(await multipartRequest(form, chunkSize), { field: "file" });
      if (!r.ok) throw new Error(r.message);
      try {
        expect(r.file.filename).toBe("名簿 2026.csv");
        expect(r.file.bytes).toBe(sjis.length);
        expect(Buffer.compare(await readFile(r.file.path), sjis)).toBe(0);
      } finally {
        await r.file.cleanup();
      }
      await expect(stat(r.file.path)).rejects.toThrow();
    },
  );

  it("keeps data that contains CRLF and dashes like a boundary", async () => {
    const tricky = Buffer.from("a\r\n--\r\n------WebKitFormBoundary\r\n--x--\r\n\r\nb", "utf8");
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(tricky)]), "x.csv");
    const r = await saveUploadedFile(await multipartRequest(form, 5), { field: "file" });
    if (!r.ok) throw new Error(r.message);
    expect(Buffer.compare(await readFile(r.file.path), tricky)).toBe(0);
    await r.file.cleanup();
  });

  it("refuses a missing, empty or oversized file and a non-multipart request, leaving no temp file", async () => {
    const none = new FormData();
    none.append("file", new Blob([]), "");
    expect(await saveUploadedFile(await multipartRequest(none), { field: "file" })).toEqual({
      ok: false,
      message: UPLOAD_MESSAGES.noFile,
    });
    const other = new FormData();
    other.append("something", "x");
    expect(await saveUploadedFile(await multipartRequest(other), { field: "file" })).toEqual({
      ok: false,
      message: UPLOAD_MESSAGES.noFile,
    });
    const empty = new FormData();
    empty.append("file", new Blob([]), "empty.csv");
    expect(await saveUploadedFile(await multipartRequest(empty), { field: "file" })).toEqual({
      ok: false,
      message: UPLOAD_MESSAGES.empty,
    });
    const big = new FormData();
    big.append("file", new Blob([new Uint8Array(5000).fill(0x31)]), "big.csv");
    expect(await saveUploadedFile(await multipartRequest(big, 512), { field: "file", maxBytes: 4096 })).toEqual({
      ok: false,
      message: UPLOAD_MESSAGES.tooLarge,
    });
    const plain = new Request("http://x/upload", {
      method: "POST",
      body: "file=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(await saveUploadedFile(plain, { field: "file" })).toEqual({
      ok: false,
      message: UPLOAD_MESSAGES.notMultipart,
    });
  });

  it("refuses a body cut off before its closing boundary", async () => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(sjis)]), "x.csv");
    const full = await multipartRequest(form);
    const bytes = Buffer.from(await full.arrayBuffer());
    const cut = new Request("http://x/upload", {
      method: "POST",
      body: bytes.subarray(0, bytes.length - 30),
      headers: { "content-type": full.headers.get("content-type")! },
    });
    expect(await saveUploadedFile(cut, { field: "file" })).toEqual({ ok: false, message: UPLOAD_MESSAGES.broken });
  });
});

describe("parseDisposition", () => {
  it("reads quoted, escaped and RFC 5987 filenames", () => {
    expect(parseDisposition('form-data; name="file"; filename="a \\"b\\".csv"')).toEqual({
      name: "file",
      filename: 'a "b".csv',
    });
    expect(parseDisposition("form-data; name=file; filename*=UTF-8''%E5%90%8D%E7%B0%BF.csv")).toEqual({
      name: "file",
      filename: "名簿.csv",
    });
    expect(parseDisposition('form-data; name="note"')).toEqual({ name: "note", filename: null });
  });
});
