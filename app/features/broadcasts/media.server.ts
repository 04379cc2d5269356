import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { broadcastMedia } from "#db/schema/index";
import { inspectImage } from "~/features/line-richmenu/image-check";

/**
 * Images of image and card broadcasts. Checked by their bytes (PNG/JPEG signature), never by name or
 * the browser's Content-Type. One file serves as LINE's original and preview image, so it must meet
 * the preview's limit: 1 MB. Stored as bytea (no object storage in this stack) and served publicly at
 * /c/:city/media/:id — LINE fetches it without credentials; the id is a random UUID.
 */
export const MEDIA_MAX_BYTES = 1024 * 1024;

export type CheckedMedia =
  | { ok: true; type: "image/png" | "image/jpeg"; width: number | null; height: number | null }
  | { ok: false; message: string };

export function checkBroadcastImage(data: Uint8Array): CheckedMedia {
  if (data.byteLength === 0) return { ok: false, message: "画像ファイルを選んでください。" };
  if (data.byteLength > MEDIA_MAX_BYTES) {
    return {
      ok: false,
      message: `画像のファイルサイズは1MB以下にしてください（選ばれた画像：${(data.byteLength / 1024 / 1024).toFixed(1)}MB）。LINEの上限です。`,
    };
  }
  const info = inspectImage(data);
  if (info.type !== "image/png" && info.type !== "image/jpeg") {
    const what = info.type === "image/gif" ? "GIF" : info.type === "image/webp" ? "WebP" : "この形式";
    return { ok: false, message: `${what}の画像は配信できません。PNGまたはJPEG形式の画像を選んでください。` };
  }
  return { ok: true, type: info.type, width: info.width, height: info.height };
}

export async function storeMedia(
  tx: Tx,
  tenantId: string,
  data: Uint8Array,
  checked: Extract<CheckedMedia, { ok: true }>,
): Promise<string> {
  const [row] = await tx
    .insert(broadcastMedia)
    .values({
      tenantId,
      contentType: checked.type,
      data: Buffer.from(data),
      bytes: data.byteLength,
      width: checked.width,
      height: checked.height,
    })
    .returning({ id: broadcastMedia.id });
  return row!.id;
}

export async function loadMedia(
  db: Db,
  tenantId: string,
  id: string,
): Promise<{ data: Buffer; contentType: string } | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ data: broadcastMedia.data, contentType: broadcastMedia.contentType })
      .from(broadcastMedia)
      .where(and(eq(broadcastMedia.tenantId, tenantId), eq(broadcastMedia.id, id)));
    return row ?? null;
  });
}
