import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { recordAudit, recordVendorAudit } from "~/features/audit/audit.server";
import {
  decryptChannelRow,
  getChannelRow,
  maskedChannel,
  recordConnectionCheck,
  saveChannelCredentials,
} from "~/features/line/credentials.server";
import { forgetWebhookSecret } from "~/features/line/webhook-secrets.server";
import { verifyChannelToken } from "~/integrations/line/channel-token.server";
import {
  createLineClient,
  interactiveLineConfig,
  type LineApiConfig,
  type LineBotInfo,
} from "~/integrations/line/client.server";
import { lineFailureMessage, MSG } from "./messages";
import { recordStepFailure, recordStepOutcome, type StepOutcome, type VendorActor } from "./state.server";

/**
 * Step 2: the city's Messaging API channel. Checked live before anything is saved: the token must
 * open the bot's info (GET /v2/bot/info) and belong to the channel id typed in (GET
 * /oauth2/v2.1/verify names its channel). Only then are the credentials stored, encrypted, with the
 * step's outcome and the audit entries, in one transaction. The secret is proved in the next step:
 * LINE signs its webhook test with it.
 */
export type OnboardingDeps = { db: Db; key: Buffer; appOrigin: string; line?: LineApiConfig };

export type LineStepInput = { channelId: string; channelSecret?: string; channelAccessToken?: string };

/** A vendor waits on the step's page. */
export function wizardConfig(deps: OnboardingDeps): LineApiConfig {
  return interactiveLineConfig(deps.line);
}

export async function completeLineStep(
  deps: OnboardingDeps,
  tenantId: string,
  input: LineStepInput,
  actor: VendorActor,
): Promise<StepOutcome> {
  const { db, key } = deps;
  const stored = await withTenant(db, tenantId, async (tx) => {
    const row = await getChannelRow(tx, tenantId);
    return row ? decryptChannelRow(key, row) : null;
  });
  // Blank secret or token on a resumed step = keep the stored one (the form never shows it).
  const secret = input.channelSecret?.trim() || stored?.channelSecret;
  const token = input.channelAccessToken?.trim() || stored?.channelAccessToken;
  if (!secret) return { ok: false, field: "channelSecret", message: "チャネルシークレットを入力してください。" };
  if (!token)
    return { ok: false, field: "channelAccessToken", message: "チャネルアクセストークンを入力してください。" };

  const [taken] = (await db.execute(
    sql`select line_channel_taken(${input.channelId}, ${tenantId}::uuid) as taken`,
  )) as unknown as { taken: boolean }[];
  if (taken?.taken) return recordStepFailure(db, tenantId, "line", MSG.channelTaken, actor, { error: "channel_taken" });

  const config = wizardConfig(deps);
  let info: LineBotInfo;
  try {
    info = await createLineClient({ channelId: input.channelId, channelAccessToken: token }, config).getBotInfo();
  } catch (e) {
    return recordStepFailure(db, tenantId, "line", lineFailureMessage(e, "ボット情報の取得"), actor, {
      error: errorKind(e),
    });
  }
  const check = await verifyChannelToken(token, config);
  if (check.state === "invalid")
    return recordStepFailure(db, tenantId, "line", MSG.tokenInvalid, actor, { error: "token_invalid" });
  if (check.state === "valid" && check.clientId !== input.channelId) {
    return recordStepFailure(db, tenantId, "line", MSG.tokenOtherChannel(input.channelId, check.clientId), actor, {
      error: "other_channel",
    });
  }

  const message = `LINE公式アカウント「${info.displayName}」（${info.basicId}）と接続できました。`;
  await withTenant(db, tenantId, async (tx) => {
    const saved = await saveChannelCredentials(tx, key, tenantId, {
      channelId: input.channelId,
      channelSecret: secret,
      channelAccessToken: token,
      botUserId: info.userId,
      // LIFF is its own step; keep what it saved unless the channel itself changes.
      loginChannelId: stored && stored.channelId === input.channelId ? stored.loginChannelId : null,
      liffId: stored && stored.channelId === input.channelId ? stored.liffId : null,
    });
    if (!saved.ok) throw new Error("unreachable: secret and token are present");
    await recordConnectionCheck(tx, tenantId, { error: null, botUserId: info.userId });
    const changed = saved.changed.some((c) => c !== "botUserId");
    await recordStepOutcome(tx, tenantId, "line", { status: "done", message }, { invalidate: changed });
    await recordAudit(tx, {
      tenantId,
      actorKind: "vendor",
      actorId: actor.vendorUserId,
      action: "line.channel.save",
      targetType: "line_channel",
      detail: { changed: saved.changed, via: "onboarding" },
      ip: actor.ip,
    });
    await recordVendorAudit(tx, {
      vendorUserId: actor.vendorUserId,
      tenantId,
      action: "onboarding.line",
      detail: { ok: true, changed: saved.changed },
      ip: actor.ip,
    });
  });
  forgetWebhookSecret(tenantId);
  return { ok: true, message };
}

/** What the step pages may show of the stored channel: ids, and secrets as ••••last4. */
export function storedChannel(db: Db, tenantId: string) {
  return withTenant(db, tenantId, async (tx) => {
    const row = await getChannelRow(tx, tenantId);
    return row ? maskedChannel(row) : null;
  });
}

export function errorKind(e: unknown): string {
  return (e as { kind?: string }).kind ?? "unexpected";
}
