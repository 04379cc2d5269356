import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { createLineClient, interactiveLineConfig, type LineApiConfig } from "~/integrations/line/client.server";
import { LineApiError } from "~/integrations/line/errors";
import { lineErrorMessage } from "~/integrations/line/error-messages";
import {
  decryptChannelRow,
  getChannelRow,
  maskedChannel,
  recordConnectionCheck,
  saveChannelCredentials,
  type ChannelSettingsInput,
} from "./credentials.server";
import { friendCounts } from "./friends.server";
import { forgetWebhookSecret } from "./webhook-secrets.server";

/** The admin page /c/:city/admin/line: settings, connection test and friend counts. */
export type Actor = { staffUserId: string; ip?: string | null };

export function webhookUrl(appOrigin: string, tenantId: string) {
  return `${appOrigin}/webhooks/line/${tenantId}`;
}

export async function lineSettingsPage(db: Db, tenantId: string) {
  return withTenant(db, tenantId, async (tx) => {
    const row = await getChannelRow(tx, tenantId);
    // The login channel's secret is never shown back, not even its last characters: set or not, and when.
    const channel = row
      ? (({ loginSecretMasked, ...rest }) => ({ ...rest, loginSecretSet: loginSecretMasked !== null }))(
          maskedChannel(row),
        )
      : null;
    return { channel, counts: await friendCounts(tx, tenantId) };
  });
}

/** Saves the settings and writes the audit entry in the same transaction (field names only, never values of secrets). */
export async function saveLineSettings(
  db: Db,
  key: Buffer,
  input: { tenantId: string; settings: ChannelSettingsInput; actor: Actor },
) {
  const result = await withTenant(db, input.tenantId, async (tx) => {
    const saved = await saveChannelCredentials(tx, key, input.tenantId, input.settings);
    if (saved.ok) {
      await recordAudit(tx, {
        tenantId: input.tenantId,
        actorKind: "staff",
        actorId: input.actor.staffUserId,
        action: "line.channel.save",
        targetType: "line_channel",
        detail: { changed: saved.changed },
        ip: input.actor.ip,
      });
    }
    return saved;
  });
  if (result.ok) forgetWebhookSecret(input.tenantId);
  return result;
}

export type ConnectionTestResult = { ok: true; botName: string } | { ok: false; message: string };

/**
 * A LINE failure in the city admin's words (connection test, rich menu): the generic wording, except
 * that a refusal points at the settings on this page rather than at a form's input.
 */
export function connectionErrorMessage(e: unknown, what = "接続テスト"): string {
  return lineErrorMessage(e, what, {
    refused: (err) =>
      `LINEから接続を拒否されました（エラーコード ${err.status ?? "なし"}）。設定内容を確認してください。`,
  });
}

/**
 * Calls LINE live (GET /v2/bot/info) with the stored token and records the outcome. The bot's user
 * id is filled in from LINE's answer; a different id than the one entered means the token belongs
 * to another channel, which would send this city's messages from the wrong account.
 */
export async function testLineConnection(
  db: Db,
  key: Buffer,
  input: { tenantId: string; actor: Actor; config?: LineApiConfig },
): Promise<ConnectionTestResult> {
  const row = await withTenant(db, input.tenantId, (tx) => getChannelRow(tx, input.tenantId));
  if (!row) return { ok: false, message: "まだLINEの設定が保存されていません。先にチャネルの情報を保存してください。" };
  const creds = decryptChannelRow(key, row);
  let result: ConnectionTestResult;
  let errorKind: string | null = null;
  let botUserId: string | undefined;
  try {
    const info = await createLineClient(creds, interactiveLineConfig(input.config)).getBotInfo();
    if (creds.botUserId && creds.botUserId !== info.userId) {
      errorKind = "other_channel";
      result = {
        ok: false,
        message:
          "このアクセストークンは、登録されているボット（ユーザーID）とは別のチャネルのものです。チャネルIDとアクセストークンの組み合わせを確認してください。",
      };
    } else {
      botUserId = info.userId;
      result = { ok: true, botName: info.displayName };
    }
  } catch (e) {
    errorKind = e instanceof LineApiError ? e.kind : "unexpected";
    result = { ok: false, message: connectionErrorMessage(e) };
  }
  await withTenant(db, input.tenantId, async (tx) => {
    await recordConnectionCheck(tx, input.tenantId, { error: result.ok ? null : result.message, botUserId });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "staff",
      actorId: input.actor.staffUserId,
      action: "line.channel.test",
      targetType: "line_channel",
      detail: { ok: result.ok, ...(errorKind ? { error: errorKind } : {}) },
      ip: input.actor.ip,
    });
  });
  return result;
}
