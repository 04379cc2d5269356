import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, isNull, lt } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { reportPhotos } from "#db/schema/index";
import type { ProcessedPhoto } from "./photos.server";

/**
 * The one place report photos are stored and read (ADR 054). Today the bytes live in PostgreSQL
 * (bytea, already re-encoded and at most ~1600 px, so a few hundred KB each); moving them to an
 * S3-compatible store means changing this module only: callers see ids, bytes and public tokens.
 */
export type PhotoVariant = "full" | "thumb";
export type StoredPhotoInfo = { id: string; kind: string; width: number; height: number; publicToken: string | null };

export async function storePhoto(
  tx: DbOrTx,
  tenantId: string,
  photo: ProcessedPhoto,
  owner: { reportId: string; kind: "report" | "after" } | { lineUserId: string },
): Promise<StoredPhotoInfo> {
  const after = "kind" in owner && owner.kind === "after";
  const [row] = await tx
    .insert(reportPhotos)
    .values({
      tenantId,
      reportId: "reportId" in owner ? owner.reportId : null,
      lineUserId: "lineUserId" in owner ? owner.lineUserId : null,
      kind: "kind" in owner ? owner.kind : "report",
      data: photo.data,
      thumb: photo.thumb,
      width: photo.width,
      height: photo.height,
      // Only after-photos are ever public (LINE fetches them for the 完了 push): an unguessable key.
      publicToken: after ? randomBytes(24).toString("base64url") : null,
    })
    .returning({
      id: reportPhotos.id,
      kind: reportPhotos.kind,
      width: reportPhotos.width,
      height: reportPhotos.height,
      publicToken: reportPhotos.publicToken,
    });
  return row!;
}

/** A dialog's pending photos become the new report's (only those this friend sent). */
export async function attachPhotos(tx: DbOrTx, tenantId: string, ids: string[], lineUserId: string, reportId: string) {
  if (!ids.length) return;
  await tx
    .update(reportPhotos)
    .set({ reportId, lineUserId: null })
    .where(
      and(
        eq(reportPhotos.tenantId, tenantId),
        inArray(reportPhotos.id, ids),
        eq(reportPhotos.lineUserId, lineUserId),
        isNull(reportPhotos.reportId),
      ),
    );
}

export async function discardPendingPhotos(tx: DbOrTx, tenantId: string, ids: string[], lineUserId: string) {
  if (!ids.length) return;
  await tx
    .delete(reportPhotos)
    .where(
      and(
        eq(reportPhotos.tenantId, tenantId),
        inArray(reportPhotos.id, ids),
        eq(reportPhotos.lineUserId, lineUserId),
        isNull(reportPhotos.reportId),
      ),
    );
}

/** Photos of dialogs that never finished (expired, abandoned), older than `before`. */
export async function purgePendingPhotos(tx: DbOrTx, tenantId: string, before: Date): Promise<number> {
  const rows = await tx
    .delete(reportPhotos)
    .where(and(eq(reportPhotos.tenantId, tenantId), isNull(reportPhotos.reportId), lt(reportPhotos.createdAt, before)))
    .returning({ id: reportPhotos.id });
  return rows.length;
}

export function photosOf(tx: DbOrTx, tenantId: string, reportId: string): Promise<StoredPhotoInfo[]> {
  return tx
    .select({
      id: reportPhotos.id,
      kind: reportPhotos.kind,
      width: reportPhotos.width,
      height: reportPhotos.height,
      publicToken: reportPhotos.publicToken,
    })
    .from(reportPhotos)
    .where(and(eq(reportPhotos.tenantId, tenantId), eq(reportPhotos.reportId, reportId)))
    .orderBy(asc(reportPhotos.createdAt));
}

/** A photo's bytes for staff (the caller checks the role and audits the view). */
export async function photoBytes(
  tx: DbOrTx,
  tenantId: string,
  photoId: string,
  variant: PhotoVariant,
): Promise<{ reportId: string; bytes: Buffer } | null> {
  const [row] = await tx
    .select({ reportId: reportPhotos.reportId, data: reportPhotos.data, thumb: reportPhotos.thumb })
    .from(reportPhotos)
    .where(and(eq(reportPhotos.tenantId, tenantId), eq(reportPhotos.id, photoId)));
  if (!row?.reportId) return null;
  return { reportId: row.reportId, bytes: variant === "thumb" ? row.thumb : row.data };
}

/** An after-photo by its public token (what LINE's servers fetch); never a resident's photo. */
export async function publicPhotoBytes(
  tx: DbOrTx,
  tenantId: string,
  token: string,
  variant: PhotoVariant,
): Promise<Buffer | null> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return null;
  const [row] = await tx
    .select({ data: reportPhotos.data, thumb: reportPhotos.thumb })
    .from(reportPhotos)
    .where(
      and(eq(reportPhotos.tenantId, tenantId), eq(reportPhotos.publicToken, token), eq(reportPhotos.kind, "after")),
    );
  return row ? (variant === "thumb" ? row.thumb : row.data) : null;
}
