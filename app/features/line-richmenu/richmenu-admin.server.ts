import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import type { RichMenuKind } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { getChannelRow } from "~/features/line/credentials.server";
import { checkUploadedImage } from "./image-check";
import { renderRichMenuPng } from "./image.server";
import type { RichMenuActor, RichMenuTenant } from "./publish.server";
import { ensureRichMenus, hasUnpublishedChanges, loadRichMenus, saveTiles, saveUploadedImage } from "./store.server";
import {
  defaultTiles,
  RICH_MENU_KINDS,
  tilesFromForm,
  validateTiles,
  type RichMenuTile,
  type TileErrors,
} from "./tiles";

/** The admin page /c/:city/admin/line/richmenu: what it shows, and the edits that need no LINE call. */
export type RichMenuView = {
  kind: RichMenuKind;
  tiles: RichMenuTile[];
  saved: boolean;
  imageSource: "generated" | "uploaded";
  active: boolean;
  lineRichMenuId: string | null;
  publishedAt: Date | null;
  publishError: string | null;
  unpublishedChanges: boolean;
  /** Changes whenever the image would: the preview's cache-busting query. */
  version: number;
};

export async function richMenuPage(db: Db, tenant: RichMenuTenant) {
  return withTenant(db, tenant.id, async (tx) => {
    const rows = await loadRichMenus(tx, tenant.id);
    const channel = await getChannelRow(tx, tenant.id);
    const menus = Object.fromEntries(
      RICH_MENU_KINDS.map((kind): [RichMenuKind, RichMenuView] => {
        const row = rows[kind];
        if (!row)
          return [
            kind,
            {
              kind,
              tiles: defaultTiles(tenant.slug, kind),
              saved: false,
              imageSource: "generated",
              active: false,
              lineRichMenuId: null,
              publishedAt: null,
              publishError: null,
              unpublishedChanges: true,
              version: 0,
            },
          ];
        return [
          kind,
          {
            kind,
            tiles: row.tiles,
            saved: true,
            imageSource: row.imageSource,
            active: row.active,
            lineRichMenuId: row.lineRichMenuId,
            publishedAt: row.publishedAt,
            publishError: row.publishError,
            unpublishedChanges: hasUnpublishedChanges(row),
            version: row.editedAt.getTime(),
          },
        ];
      }),
    ) as Record<RichMenuKind, RichMenuView>;
    return { menus, channel: channel ? { liffId: channel.liffId } : null };
  });
}

export type SaveTilesResult = { ok: true } | { ok: false; errors: TileErrors };

/** Validates the editor's fields and stores the 6 tiles; audited with the labels (no personal data in them). */
export async function saveRichMenuTiles(
  db: Db,
  input: { tenant: RichMenuTenant; kind: RichMenuKind; form: FormData | Record<string, string>; actor: RichMenuActor },
): Promise<SaveTilesResult> {
  const checked = validateTiles(input.tenant.slug, tilesFromForm(input.form));
  if (!checked.ok) return checked;
  await withTenant(db, input.tenant.id, async (tx) => {
    const rows = await ensureRichMenus(tx, input.tenant);
    await saveTiles(tx, input.tenant.id, input.kind, checked.tiles);
    await recordAudit(tx, {
      tenantId: input.tenant.id,
      actorKind: "staff",
      actorId: input.actor.staffUserId,
      action: "line.richmenu.save",
      targetType: "line_rich_menu",
      targetId: rows[input.kind].id,
      detail: {
        kind: input.kind,
        labels: checked.tiles.map((t) => t.label),
        actions: checked.tiles.map((t) => t.action.type),
      },
      ip: input.actor.ip,
    });
  });
  return { ok: true };
}

export type UploadResult = { ok: true } | { ok: false; message: string };

/** Stores the city's own image after checking its bytes; nothing is stored (or published) when it fails. */
export async function uploadRichMenuImage(
  db: Db,
  input: { tenant: RichMenuTenant; kind: RichMenuKind; data: Uint8Array; actor: RichMenuActor },
): Promise<UploadResult> {
  const checked = checkUploadedImage(input.data);
  await withTenant(db, input.tenant.id, async (tx) => {
    const rows = await ensureRichMenus(tx, input.tenant);
    if (checked.ok)
      await saveUploadedImage(tx, input.tenant.id, input.kind, { data: Buffer.from(input.data), type: checked.type });
    // Refusals are audited too: a pattern of odd uploads is worth seeing.
    await recordAudit(tx, {
      tenantId: input.tenant.id,
      actorKind: "staff",
      actorId: input.actor.staffUserId,
      action: "line.richmenu.upload",
      targetType: "line_rich_menu",
      targetId: rows[input.kind].id,
      detail: {
        kind: input.kind,
        ok: checked.ok,
        bytes: input.data.byteLength,
        ...(checked.ok ? { type: checked.type, width: checked.width, height: checked.height } : {}),
      },
      ip: input.actor.ip,
    });
  });
  return checked.ok ? { ok: true } : { ok: false, message: checked.message };
}

/** Back to the image drawn from the tiles (the uploaded one is kept, in case they switch back). */
export async function switchToGeneratedImage(
  db: Db,
  input: { tenant: RichMenuTenant; kind: RichMenuKind; actor: RichMenuActor },
) {
  await withTenant(db, input.tenant.id, async (tx) => {
    const rows = await ensureRichMenus(tx, input.tenant);
    await saveUploadedImage(tx, input.tenant.id, input.kind, null);
    await recordAudit(tx, {
      tenantId: input.tenant.id,
      actorKind: "staff",
      actorId: input.actor.staffUserId,
      action: "line.richmenu.image_generated",
      targetType: "line_rich_menu",
      targetId: rows[input.kind].id,
      detail: { kind: input.kind },
      ip: input.actor.ip,
    });
  });
}

/** The image LINE would receive now: the upload, or the PNG drawn from the saved (or starting) tiles. */
export async function richMenuImage(
  db: Db,
  tenant: RichMenuTenant,
  kind: RichMenuKind,
): Promise<{ data: Buffer; type: string }> {
  const row = await withTenant(db, tenant.id, async (tx) => (await loadRichMenus(tx, tenant.id))[kind]);
  if (row?.imageSource === "uploaded" && row.uploadedImage)
    return { data: row.uploadedImage, type: row.uploadedImageType ?? "image/png" };
  return { data: await renderRichMenuPng(row?.tiles ?? defaultTiles(tenant.slug, kind), kind), type: "image/png" };
}
