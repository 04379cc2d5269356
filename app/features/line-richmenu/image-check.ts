import { UPLOAD_SIZES } from "./layout";

/**
 * What an uploaded rich-menu image really is, read from its bytes (magic numbers and the PNG IHDR
 * or JPEG SOF header), never from the file name or the browser's Content-Type, which anyone can
 * set. LINE takes PNG or JPEG up to 1 MB; we check before calling LINE so a bad file publishes
 * nothing and the admin gets a clear reason.
 */
export const MAX_IMAGE_BYTES = 1024 * 1024;

export type ImageType = "image/png" | "image/jpeg";
export type ImageInfo = {
  type: ImageType | "image/gif" | "image/webp" | "unknown";
  width: number | null;
  height: number | null;
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function inspectImage(data: Uint8Array): ImageInfo {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length >= 24 && PNG_SIGNATURE.every((b, i) => buf[i] === b) && buf.toString("latin1", 12, 16) === "IHDR") {
    return { type: "image/png", width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) {
    return { type: "image/jpeg", ...jpegSize(buf) };
  }
  if (buf.length >= 6 && /^GIF8[79]a$/.test(buf.toString("latin1", 0, 6)))
    return { type: "image/gif", width: null, height: null };
  if (buf.length >= 12 && buf.toString("latin1", 0, 4) === "RIFF" && buf.toString("latin1", 8, 12) === "WEBP")
    return { type: "image/webp", width: null, height: null };
  return { type: "unknown", width: null, height: null };
}

/** Walks the JPEG segments to the first frame header (SOF0–SOF15 except DHT, JPG and DAC). */
function jpegSize(buf: Buffer): { width: number | null; height: number | null } {
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) break;
    const marker = buf[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    const len = buf.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  return { width: null, height: null };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)}MB`;
const SIZES_JA = UPLOAD_SIZES.map((s) => `横${s.width}×縦${s.height}ピクセル`).join("または");

export type CheckedImage =
  { ok: true; type: ImageType; width: number; height: number } | { ok: false; message: string };

/** The rules for an image the city uploads instead of the generated one; messages in Japanese. */
export function checkUploadedImage(data: Uint8Array): CheckedImage {
  if (data.byteLength === 0) return { ok: false, message: "画像ファイルを選んでください。" };
  if (data.byteLength > MAX_IMAGE_BYTES)
    return {
      ok: false,
      message: `画像のファイルサイズは1MB以下にしてください（選ばれた画像：${mb(data.byteLength)}）。LINEの上限です。`,
    };
  const info = inspectImage(data);
  if (info.type !== "image/png" && info.type !== "image/jpeg") {
    const what = info.type === "image/gif" ? "GIF" : info.type === "image/webp" ? "WebP" : "この形式";
    return { ok: false, message: `${what}の画像は使えません。PNGまたはJPEG形式の画像を選んでください。` };
  }
  if (info.width === null || info.height === null)
    return { ok: false, message: "画像を読み取れませんでした。壊れていないPNGまたはJPEGの画像を選んでください。" };
  if (!UPLOAD_SIZES.some((s) => s.width === info.width && s.height === info.height)) {
    return {
      ok: false,
      message: `画像の大きさは${SIZES_JA}にしてください（選ばれた画像：横${info.width}×縦${info.height}ピクセル）。`,
    };
  }
  return { ok: true, type: info.type, width: info.width, height: info.height };
}
