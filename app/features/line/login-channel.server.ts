import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit } from "~/features/audit/audit.server";
import { interactiveLineConfig, type LineApiConfig } from "~/integrations/line/client.server";
import { LineApiError } from "~/integrations/line/errors";
import { issueLoginChannelToken } from "~/integrations/line/login-channel-token.server";
import { connectionErrorMessage } from "./channel-admin.server";
import { LOGIN_CHANNEL_MSG } from "./login-channel-messages";
import {
  loadChannelCredentialsFor,
  loginSecretFor,
  saveChannelCredentials,
  type ChannelCredentials,
} from "./credentials.server";

/**
 * The city's LINE Login channel (the one that owns the LIFF app, ADR 014), set by the onboarding
 * wizard's LIFF step and by the city admin on /c/:city/admin/line. Both check it live the same way:
 * its id and secret must issue a short-lived channel token at LINE (POST /oauth2/v3/token). LINE
 * refuses a wrong id or secret there, so a typo is caught before anything is stored.
 */

export type LoginChannelInput = { loginChannelId: string; loginChannelSecret?: string | null };

export type LoginChannelCheck =
  | { ok: true; secret: string; accessToken: string }
  | { ok: false; field: "loginChannelSecret"; message: string; error: "login_secret_missing" }
  | { ok: false; field?: undefined; message: string; error: "login_secret" };

/**
 * Blank secret = the stored one, if it belongs to the same login channel. Throws LineApiError when
 * LINE cannot answer (timeout, 5xx…): each caller words that for its reader.
 */
export async function checkLoginChannel(
  stored: ChannelCredentials | null,
  input: LoginChannelInput,
  config: LineApiConfig,
): Promise<LoginChannelCheck> {
  const secret = loginSecretFor(stored, input.loginChannelId, input.loginChannelSecret);
  if (!secret)
    return {
      ok: false,
      field: "loginChannelSecret",
      message: LOGIN_CHANNEL_MSG.secretMissing,
      error: "login_secret_missing",
    };
  const issued = await issueLoginChannelToken(input.loginChannelId, secret, config);
  if (!issued.ok)
    return { ok: false, message: LOGIN_CHANNEL_MSG.secretWrong(input.loginChannelId), error: "login_secret" };
  return { ok: true, secret, accessToken: issued.accessToken };
}

export type Actor = { staffUserId: string; ip?: string | null };

export type SaveLoginChannelResult =
  { ok: true; changed: string[] } | { ok: false; field?: "loginChannelId" | "loginChannelSecret"; message: string };

/**
 * The city admin sets or replaces the login channel. Checked live first; nothing is stored when
 * LINE refuses or cannot be reached. A refused attempt is audited too (someone typing secrets at
 * LINE through our server is worth knowing about), by error kind only, never the secret.
 */
export async function saveLoginChannel(
  db: Db,
  key: Buffer,
  input: LoginChannelInput & { tenantId: string; actor: Actor; config?: LineApiConfig },
): Promise<SaveLoginChannelResult> {
  const { tenantId, actor } = input;
  const stored = await loadChannelCredentialsFor(db, key, tenantId);
  if (!stored) return { ok: false, message: LOGIN_CHANNEL_MSG.noChannel };
  // The LIFF id's prefix is its login channel's id: ID tokens of another channel would all be refused.
  if (stored.liffId && !stored.liffId.startsWith(`${input.loginChannelId}-`))
    return { ok: false, field: "loginChannelId", message: LOGIN_CHANNEL_MSG.liffOtherChannel(stored.liffId) };

  let check: LoginChannelCheck | { ok: false; field?: undefined; message: string; error: string };
  try {
    check = await checkLoginChannel(stored, input, interactiveLineConfig(input.config));
  } catch (e) {
    check = {
      ok: false,
      message: connectionErrorMessage(e, "LINEログインチャネルの確認"),
      error: e instanceof LineApiError ? e.kind : "unexpected",
    };
  }
  if (!check.ok) {
    const { field, message, error } = check;
    if (error !== "login_secret_missing") {
      await withTenant(db, tenantId, (tx) =>
        recordAudit(tx, {
          tenantId,
          actorKind: "staff",
          actorId: actor.staffUserId,
          action: "line.login_channel.refused",
          targetType: "line_channel",
          detail: { loginChannelId: input.loginChannelId, error },
          ip: actor.ip,
        }),
      );
    }
    return { ok: false, field, message };
  }

  const secret = check.secret;
  return withTenant(db, tenantId, async (tx) => {
    const saved = await saveChannelCredentials(tx, key, tenantId, {
      channelId: stored.channelId,
      botUserId: stored.botUserId,
      liffId: stored.liffId,
      loginChannelId: input.loginChannelId,
      loginChannelSecret: secret,
    });
    if (!saved.ok) throw new Error("unreachable: the channel's credentials are stored");
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "line.channel.save",
      targetType: "line_channel",
      detail: { changed: saved.changed, via: "login_channel", verified: true },
      ip: actor.ip,
    });
    return { ok: true as const, changed: saved.changed };
  });
}
