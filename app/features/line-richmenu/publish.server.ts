import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import type { LineRichMenu, RichMenuKind } from "#db/schema/index";
import { recordAudit } from "~/features/audit/audit.server";
import { connectionErrorMessage } from "~/features/line/channel-admin.server";
import { loadChannelCredentials } from "~/features/line/credentials.server";
import {
  createLineClient,
  lineApiConfigFromEnv,
  type LineApiConfig,
  type LineClient,
} from "~/integrations/line/client.server";
import { LineApiError } from "~/integrations/line/errors";
import { checkUploadedImage } from "./image-check";
import { renderRichMenuPng } from "./image.server";
import { MENU_HEIGHT, MENU_WIDTH } from "./layout";
import { richMenuRequest, type ActionContext } from "./menu-request";
import {
  claimRichMenus,
  ensureRichMenus,
  hasUnpublishedChanges,
  markActive,
  recordPublished,
  recordPublishError,
  releaseRichMenus,
  type RichMenuRows,
} from "./store.server";
import { KIND_LABEL } from "./tiles";

/**
 * Publishing a city's rich menu through the Messaging API, and the one-click disaster switch
 * (ADR 009). Order on LINE: create → upload image → set default → delete the previous menu of that
 * kind. Any failure before "set default" leaves LINE's current default untouched; the half-built
 * new menu is deleted (best effort) and the error is kept on the row for the admin page.
 */
export type RichMenuDeps = { db: Db; key: Buffer; appOrigin: string; config?: LineApiConfig };
export type RichMenuActor = { staffUserId: string; ip?: string | null };
/** Publishing: city staff from the admin page, or vendor staff from the onboarding wizard (the first menu). */
export type PublishActor = RichMenuActor | { vendorUserId: string; ip?: string | null };
export type RichMenuTenant = { id: string; slug: string };
export type RichMenuOutcome = { ok: true; message: string } | { ok: false; message: string };

const BUSY: RichMenuOutcome = {
  ok: false,
  message: "ほかの職員がリッチメニューを反映・切り替えしている最中です。少し待ってから画面を読み込み直してください。",
};
const NO_CHANNEL = "LINEの設定がまだ保存されていません。先に「LINE設定」でチャネルの情報を保存してください。";

class PublishFailure extends Error {
  constructor(
    message: string,
    readonly errorKind: string,
  ) {
    super(message);
  }
}

function failureOf(e: unknown): PublishFailure {
  if (e instanceof PublishFailure) return e;
  if (e instanceof LineApiError && e.kind === "bad_request")
    return new PublishFailure(
      `LINEがリッチメニューを受け付けませんでした${e.lineMessage ? `（${e.lineMessage}）` : ""}。内容を確認してください。`,
      e.kind,
    );
  return new PublishFailure(
    connectionErrorMessage(e, "リッチメニューの反映"),
    e instanceof LineApiError ? e.kind : "unexpected",
  );
}

/** One claim per publish or switch: the rows come back locked against a second simultaneous click. */
async function withClaim(
  deps: RichMenuDeps,
  tenant: RichMenuTenant,
  fn: (rows: RichMenuRows, ctx: { client: LineClient; actionCtx: ActionContext }) => Promise<RichMenuOutcome>,
) {
  const claimed = await withTenant(deps.db, tenant.id, async (tx) => {
    await ensureRichMenus(tx, tenant);
    const rows = await claimRichMenus(tx, tenant.id);
    return rows ? { rows, creds: await loadChannelCredentials(tx, deps.key, tenant.id) } : null;
  });
  if (!claimed) return BUSY;
  try {
    if (!claimed.creds) return { ok: false, message: NO_CHANNEL } as RichMenuOutcome;
    const config = deps.config ?? lineApiConfigFromEnv();
    // An admin is waiting on the page: a few quick tries, not the background jobs' patience.
    const client = createLineClient(claimed.creds, {
      ...config,
      retry: { maxAttempts: 3, maxDelayMs: 4_000, timeoutMs: 20_000, ...config.retry },
    });
    return await fn(claimed.rows, {
      client,
      actionCtx: { slug: tenant.slug, liffId: claimed.creds.liffId, appOrigin: deps.appOrigin },
    });
  } finally {
    await withTenant(deps.db, tenant.id, (tx) => releaseRichMenus(tx, tenant.id));
  }
}

async function menuImage(row: LineRichMenu) {
  if (row.imageSource === "uploaded" && row.uploadedImage) {
    const checked = checkUploadedImage(row.uploadedImage);
    if (!checked.ok) throw new PublishFailure(checked.message, "image");
    return { data: row.uploadedImage, type: checked.type, width: checked.width, height: checked.height };
  }
  return {
    data: await renderRichMenuPng(row.tiles, row.kind),
    type: "image/png" as const,
    width: MENU_WIDTH,
    height: MENU_HEIGHT,
  };
}

/** Builds the menu on LINE; returns its id. On failure deletes what it created and rethrows. */
async function buildOnLine(
  client: LineClient,
  row: LineRichMenu,
  actionCtx: ActionContext,
  makeDefault: boolean,
): Promise<string> {
  const image = await menuImage(row);
  let created: string | null = null;
  try {
    created = await client.createRichMenu(
      richMenuRequest(row.tiles, row.kind, { width: image.width, height: image.height }, actionCtx),
    );
    await client.uploadRichMenuImage(created, image.data, image.type);
    if (makeDefault) await client.setDefaultRichMenu(created);
    return created;
  } catch (e) {
    if (created) await client.deleteRichMenu(created).catch(() => {});
    throw e;
  }
}

/** Best effort: a leftover old menu costs nothing but a slot of LINE's 1000; never delete the live default. */
async function deleteOld(client: LineClient, oldId: string | null, newId: string) {
  if (!oldId || oldId === newId) return;
  try {
    if ((await client.getDefaultRichMenuId()) === oldId) return;
    await client.deleteRichMenu(oldId);
  } catch {
    // Already gone on LINE, or LINE is busy: nothing the admin needs to act on.
  }
}

async function audit(
  deps: RichMenuDeps,
  tenantId: string,
  actor: PublishActor,
  action: string,
  row: LineRichMenu,
  detail: Record<string, unknown>,
  error?: { kind: RichMenuKind; message: string },
) {
  await withTenant(deps.db, tenantId, async (tx) => {
    if (error) await recordPublishError(tx, tenantId, error.kind, error.message);
    const by =
      "vendorUserId" in actor
        ? { actorKind: "vendor" as const, actorId: actor.vendorUserId }
        : { actorKind: "staff" as const, actorId: actor.staffUserId };
    await recordAudit(tx, {
      tenantId,
      ...by,
      action,
      targetType: "line_rich_menu",
      targetId: row.id,
      detail,
      ip: actor.ip,
    });
  });
}

/**
 * "LINEに反映": publishes one kind. It becomes LINE's default only when it is the kind on show (or
 * nothing is on show yet and it is the everyday menu): publishing the disaster menu in calm times
 * prepares it, so the later switch is a single quick call.
 */
export async function publishRichMenu(
  deps: RichMenuDeps,
  input: { tenant: RichMenuTenant; kind: RichMenuKind; actor: PublishActor },
): Promise<RichMenuOutcome> {
  const { tenant, kind, actor } = input;
  return withClaim(deps, tenant, async (rows, { client, actionCtx }) => {
    const row = rows[kind];
    const other = rows[kind === "default" ? "disaster" : "default"];
    const makeDefault = row.active || (kind === "default" && !other.active);
    try {
      const newId = await buildOnLine(client, row, actionCtx, makeDefault);
      await withTenant(deps.db, tenant.id, (tx) =>
        recordPublished(tx, tenant.id, kind, { lineRichMenuId: newId, madeDefault: makeDefault }),
      );
      await deleteOld(client, row.lineRichMenuId, newId);
      await audit(deps, tenant.id, actor, "line.richmenu.publish", row, {
        kind,
        ok: true,
        madeDefault: makeDefault,
        imageSource: row.imageSource,
      });
      if (makeDefault)
        return {
          ok: true,
          message: `${KIND_LABEL[kind]}をLINEに反映しました。利用者のトーク画面に新しいメニューが表示されます。`,
        };
      return kind === "disaster"
        ? {
            ok: true,
            message:
              "災害用メニューをLINEに登録しました（まだ表示はされません）。「災害用メニューに切り替え」を押すと、すぐに表示されます。",
          }
        : {
            ok: true,
            message:
              "通常メニューをLINEに登録しました。いまは災害用メニューを表示中です。「通常メニューに戻す」を押すと表示されます。",
          };
    } catch (e) {
      const f = failureOf(e);
      await audit(
        deps,
        tenant.id,
        actor,
        "line.richmenu.publish",
        row,
        { kind, ok: false, error: f.errorKind },
        { kind, message: f.message },
      );
      return {
        ok: false,
        message: `LINEに反映できませんでした。これまでのメニューがそのまま表示されています。${f.message}`,
      };
    }
  });
}

/**
 * "災害用メニューに切り替え" / "通常メニューに戻す": makes `to` LINE's default in one click. A menu with
 * changes LINE has not seen (or never published) is published first; if that fails but an older
 * version is on LINE, the switch still happens with the older version — in an emergency a slightly
 * old disaster menu beats none — and the admin is told.
 */
export async function switchRichMenu(
  deps: RichMenuDeps,
  input: { tenant: RichMenuTenant; to: RichMenuKind; actor: PublishActor },
): Promise<RichMenuOutcome> {
  const { tenant, to, actor } = input;
  return withClaim(deps, tenant, async (rows, { client, actionCtx }) => {
    const row = rows[to];
    let liveId = row.lineRichMenuId;
    let published = false;
    let warning = "";
    try {
      if (hasUnpublishedChanges(row)) {
        try {
          liveId = await buildOnLine(client, row, actionCtx, true);
          published = true;
        } catch (e) {
          if (!row.lineRichMenuId) throw e;
          warning = `最新の内容は反映できなかったため、前回LINEに反映した内容で表示しています（${failureOf(e).message}）`;
        }
      }
      if (!published) {
        try {
          await client.setDefaultRichMenu(liveId!);
        } catch (e) {
          // Deleted on LINE's side (or the channel changed): build it again from the stored tiles.
          if (!(e instanceof LineApiError && e.kind === "not_found")) throw e;
          liveId = await buildOnLine(client, row, actionCtx, true);
          published = true;
        }
      }
      await withTenant(deps.db, tenant.id, async (tx) => {
        if (published) await recordPublished(tx, tenant.id, to, { lineRichMenuId: liveId!, madeDefault: true });
        else await markActive(tx, tenant.id, to);
      });
      if (published) await deleteOld(client, row.lineRichMenuId, liveId!);
      await audit(
        deps,
        tenant.id,
        actor,
        "line.richmenu.switch",
        row,
        { to, ok: true, published, ...(warning ? { fellBack: true } : {}) },
        warning ? { kind: to, message: warning } : undefined,
      );
      const done =
        to === "disaster"
          ? "災害用メニューに切り替えました。LINEの利用者には災害用メニューが表示されます。"
          : "通常メニューに戻しました。";
      return { ok: true, message: warning ? `${done}${warning}` : done };
    } catch (e) {
      const f = failureOf(e);
      await audit(
        deps,
        tenant.id,
        actor,
        "line.richmenu.switch",
        row,
        { to, ok: false, error: f.errorKind },
        { kind: to, message: f.message },
      );
      return {
        ok: false,
        message: `切り替えできませんでした。これまでのメニューがそのまま表示されています。${f.message}`,
      };
    }
  });
}
