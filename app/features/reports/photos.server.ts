import exifr from "exifr";
import sharp from "sharp";

/**
 * A resident's photo, checked by its content and re-encoded (issue 17, ADR 054): the bytes must
 * start like a JPEG, PNG, WebP or HEIC file and be at most MAX_PHOTO_BYTES; sharp decodes the whole
 * image (a truncated file fails here, not later), turns it upright, bounds it to MAX_SIDE pixels and
 * writes a fresh JPEG with no metadata at all (no GPS, no device). The GPS position is read from the
 * original's EXIF first, only to offer it as the report's place.
 */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const MAX_SIDE = 1600;
const THUMB_SIDE = 320;

export type ImageKind = "jpeg" | "png" | "webp" | "heic";

export function sniffImage(bytes: Uint8Array): ImageKind | null {
  const at = (i: number, ...b: number[]) => b.every((v, k) => bytes[i + k] === v);
  const ascii = (i: number, s: string) => at(i, ...[...s].map((c) => c.charCodeAt(0)));
  if (at(0, 0xff, 0xd8, 0xff)) return "jpeg";
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "webp";
  if (ascii(4, "ftyp") && ["heic", "heix", "mif1", "msf1", "hevc"].some((b) => ascii(8, b))) return "heic";
  return null;
}

export type ProcessedPhoto = {
  data: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
  gps: { latitude: number; longitude: number } | null;
};

export type PhotoProblem = "not-image" | "too-large" | "unreadable";
export type PhotoResult = { ok: true; photo: ProcessedPhoto } | { ok: false; problem: PhotoProblem };

async function gpsOf(bytes: Uint8Array): Promise<ProcessedPhoto["gps"]> {
  try {
    const gps = await exifr.gps(Buffer.from(bytes));
    if (gps && Number.isFinite(gps.latitude) && Number.isFinite(gps.longitude))
      return { latitude: gps.latitude, longitude: gps.longitude };
  } catch {
    // No or broken EXIF: the resident gives the place instead.
  }
  return null;
}

export async function processPhoto(bytes: Uint8Array): Promise<PhotoResult> {
  if (bytes.length > MAX_PHOTO_BYTES) return { ok: false, problem: "too-large" };
  if (!sniffImage(bytes)) return { ok: false, problem: "not-image" };
  try {
    // failOn "truncated": a cut-off upload is refused rather than stored half grey.
    const input = sharp(bytes, { failOn: "truncated", limitInputPixels: 50_000_000 }).rotate();
    const { data, info } = await input
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: "inside", withoutEnlargement: true })
      .jpeg({ quality: 80, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    const thumb = await sharp(data)
      .resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: "inside" })
      .jpeg({ quality: 70 })
      .toBuffer();
    return { ok: true, photo: { data, thumb, width: info.width, height: info.height, gps: await gpsOf(bytes) } };
  } catch {
    return { ok: false, problem: "unreadable" };
  }
}
