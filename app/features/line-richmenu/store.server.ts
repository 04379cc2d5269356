import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { lineRichMenus, type LineRichMenu, type RichMenuKind, type RichMenuTile } from "#db/schema/index";
import { defaultTiles, RICH_MENU_KINDS } from "./tiles";

/**
 * Rows of line_rich_menus, always inside the caller's withTenant transaction. Both kinds exist
 * once anything was done with the menus, so the switch never meets a missing row.
 */
export type RichMenuRows = Record<RichMenuKind, LineRichMenu>;

/** Creates the missing kinds with the starting tiles; concurrent callers both end with the same rows. */
export async function ensureRichMenus(tx: DbOrTx, tenant: { id: string; slug: string }): Promise<RichMenuRows> {
  await tx
    .insert(lineRichMenus)
    .values(RICH_MENU_KINDS.map((kind) => ({ tenantId: tenant.id, kind, tiles: defaultTiles(tenant.slug, kind) })))
    .onConflictDoNothing({ target: [lineRichMenus.tenantId, lineRichMenus.kind] });
  return loadRichMenus(tx, tenant.id) as Promise<RichMenuRows>;
}

/** The stored rows by kind; a kind is absent until first saved (the page shows the starting tiles). */
export async function loadRichMenus(
  tx: DbOrTx,
  tenantId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Partial<RichMenuRows>> {
  const q = tx.select().from(lineRichMenus).where(eq(lineRichMenus.tenantId, tenantId));
  const rows = opts.forUpdate ? await q.for("update") : await q;
  return Object.fromEntries(rows.map((r) => [r.kind, r]));
}

export async function saveTiles(tx: DbOrTx, tenantId: string, kind: RichMenuKind, tiles: RichMenuTile[]) {
  await tx
    .update(lineRichMenus)
    .set({ tiles, editedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(lineRichMenus.tenantId, tenantId), eq(lineRichMenus.kind, kind)));
}

export async function saveUploadedImage(
  tx: DbOrTx,
  tenantId: string,
  kind: RichMenuKind,
  image: { data: Buffer; type: string } | null,
) {
  await tx
    .update(lineRichMenus)
    .set(
      image
        ? {
            imageSource: "uploaded",
            uploadedImage: image.data,
            uploadedImageType: image.type,
            editedAt: sql`now()`,
            updatedAt: sql`now()`,
          }
        : { imageSource: "generated", editedAt: sql`now()`, updatedAt: sql`now()` },
    )
    .where(and(eq(lineRichMenus.tenantId, tenantId), eq(lineRichMenus.kind, kind)));
}

const BUSY_FOR = sql`interval '3 minutes'`;

/**
 * Claims the city's rich menus for one publish or switch. Both rows are locked FOR UPDATE first,
 * so of two simultaneous clicks the second waits, then sees the claim and backs off instead of
 * creating a second menu on LINE. The claim expires by itself if a process dies midway.
 */
export async function claimRichMenus(tx: DbOrTx, tenantId: string): Promise<RichMenuRows | null> {
  const rows = await loadRichMenus(tx, tenantId, { forUpdate: true });
  const list = Object.values(rows);
  if (list.some((r) => r.busyUntil && r.busyUntil.getTime() > Date.now())) return null;
  await tx
    .update(lineRichMenus)
    .set({ busyUntil: sql`now() + ${BUSY_FOR}` })
    .where(eq(lineRichMenus.tenantId, tenantId));
  return rows as RichMenuRows;
}

export async function releaseRichMenus(tx: DbOrTx, tenantId: string) {
  await tx.update(lineRichMenus).set({ busyUntil: null }).where(eq(lineRichMenus.tenantId, tenantId));
}

/** After LINE accepted the menu: the new id, and (when it became LINE's default) the active flag. */
export async function recordPublished(
  tx: DbOrTx,
  tenantId: string,
  kind: RichMenuKind,
  input: { lineRichMenuId: string; madeDefault: boolean },
) {
  if (input.madeDefault) await markActive(tx, tenantId, kind);
  await tx
    .update(lineRichMenus)
    .set({ lineRichMenuId: input.lineRichMenuId, publishedAt: sql`now()`, publishError: null, updatedAt: sql`now()` })
    .where(and(eq(lineRichMenus.tenantId, tenantId), eq(lineRichMenus.kind, kind)));
}

export async function recordPublishError(tx: DbOrTx, tenantId: string, kind: RichMenuKind, message: string) {
  await tx
    .update(lineRichMenus)
    .set({ publishError: message, updatedAt: sql`now()` })
    .where(and(eq(lineRichMenus.tenantId, tenantId), eq(lineRichMenus.kind, kind)));
}

/** The other kind first: the partial unique index allows one active row per city at any moment. */
export async function markActive(tx: DbOrTx, tenantId: string, kind: RichMenuKind) {
  await tx
    .update(lineRichMenus)
    .set({ active: false })
    .where(and(eq(lineRichMenus.tenantId, tenantId), sql`${lineRichMenus.kind} <> ${kind}`));
  await tx
    .update(lineRichMenus)
    .set({ active: true, updatedAt: sql`now()` })
    .where(and(eq(lineRichMenus.tenantId, tenantId), eq(lineRichMenus.kind, kind)));
}

/** True when the editor holds something LINE does not show yet (never published, or edited since). */
export function hasUnpublishedChanges(row: Pick<LineRichMenu, "lineRichMenuId" | "publishedAt" | "editedAt">) {
  return !row.lineRichMenuId || !row.publishedAt || row.editedAt.getTime() > row.publishedAt.getTime();
}
