import { withTenant } from "#db/with-tenant.server";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { webhookUrl } from "~/features/line/channel-admin.server";
import { loadChannelCredentials } from "~/features/line/credentials.server";
import { createLineClient, type LineWebhookTest } from "~/integrations/line/client.server";
import { LineApiError } from "~/integrations/line/errors";
import { errorKind, wizardConfig, type OnboardingDeps } from "./line-step.server";
import { lineFailureMessage, MSG } from "./messages";
import { recordStepFailure, recordStepOutcome, type StepOutcome, type VendorActor } from "./state.server";

/**
 * Step 3: LINE's webhook URL for the city, set and tested through the Messaging API. LINE's test
 * is a real signed request with no events to /webhooks/line/<tenantId>; our endpoint verifies the
 * signature with the stored channel secret, so a 401 here means the secret is wrong. Finally the
 * "Use webhook" switch is read back: with it off LINE would deliver nothing.
 */
export async function completeWebhookStep(
  deps: OnboardingDeps,
  tenantId: string,
  actor: VendorActor,
): Promise<StepOutcome> {
  const creds = await withTenant(deps.db, tenantId, (tx) => loadChannelCredentials(tx, deps.key, tenantId));
  if (!creds) return recordStepFailure(deps.db, tenantId, "webhook", MSG.noChannel, actor, { error: "no_channel" });
  const endpoint = webhookUrl(deps.appOrigin, tenantId);
  const client = createLineClient(creds, wizardConfig(deps));

  try {
    await client.setWebhookEndpoint(endpoint);
  } catch (e) {
    const message =
      e instanceof LineApiError && e.kind === "bad_request"
        ? MSG.webhookRefusedUrl(e.lineMessage)
        : lineFailureMessage(e, "Webhook URLの設定");
    return recordStepFailure(deps.db, tenantId, "webhook", message, actor, { stage: "set", error: errorKind(e) });
  }
  let test: LineWebhookTest;
  try {
    test = await client.testWebhookEndpoint(endpoint);
  } catch (e) {
    return recordStepFailure(deps.db, tenantId, "webhook", lineFailureMessage(e, "Webhookのテスト送信"), actor, {
      stage: "test",
      error: errorKind(e),
    });
  }
  if (!test.success) {
    return recordStepFailure(deps.db, tenantId, "webhook", testFailureMessage(endpoint, test), actor, {
      stage: "test",
      reason: test.reason,
      statusCode: test.statusCode,
    });
  }
  let active: boolean;
  try {
    active = (await client.getWebhookEndpoint()).active;
  } catch (e) {
    return recordStepFailure(deps.db, tenantId, "webhook", lineFailureMessage(e, "Webhook設定の確認"), actor, {
      stage: "read",
      error: errorKind(e),
    });
  }
  if (!active)
    return recordStepFailure(deps.db, tenantId, "webhook", MSG.webhookInactive, actor, {
      stage: "read",
      error: "inactive",
    });

  const message = `Webhook URL（${endpoint}）を設定し、LINEからのテスト送信に正しく応答できました。`;
  await withTenant(deps.db, tenantId, async (tx) => {
    await recordStepOutcome(tx, tenantId, "webhook", { status: "done", message });
    await recordVendorAudit(tx, {
      vendorUserId: actor.vendorUserId,
      tenantId,
      action: "onboarding.webhook",
      detail: { ok: true, endpoint },
      ip: actor.ip,
    });
  });
  return { ok: true, message };
}

/** LINE's verdict on its test request (reason OK / ERROR_STATUS_CODE / COULD_NOT_CONNECT / REQUEST_TIMEOUT). */
export function testFailureMessage(endpoint: string, test: LineWebhookTest): string {
  const detail = test.detail || String(test.statusCode);
  if (test.reason === "COULD_NOT_CONNECT") return MSG.unreachable(endpoint, detail);
  if (test.reason === "REQUEST_TIMEOUT") return MSG.timeout(endpoint);
  if (test.statusCode === 401) return MSG.secretWrong;
  if (test.statusCode === 404) return MSG.webhookNotFound(endpoint);
  return MSG.webhookStatus(endpoint, detail);
}
