import { withTenant } from "#db/with-tenant.server";
import { tenants } from "#db/schema/index";
import { eq } from "drizzle-orm";
import { recordAudit, recordVendorAudit } from "~/features/audit/audit.server";
import { loadChannelCredentials, saveChannelCredentials } from "~/features/line/credentials.server";
import { checkLoginChannel } from "~/features/line/login-channel.server";
import { createLineClient, type LineLiffApp } from "~/integrations/line/client.server";
import { errorKind, wizardConfig, type OnboardingDeps } from "./line-step.server";
import { lineFailureMessage, MSG } from "./messages";
import { recordStepFailure, recordStepOutcome, type StepOutcome, type VendorActor } from "./state.server";
import { liffEndpointFor } from "./steps";

/**
 * Step 4: the city's LIFF app. The LIFF id must exist on LINE (LIFF server API, GET /liff/v1/apps)
 * and its endpoint URL must be the city's pages, `${APP_ORIGIN}/c/<slug>` (ADR 009): LINE appends
 * the rich menu's paths to it. The LINE Login channel id is the audience of the residents' ID
 * tokens, so it is checked against the LIFF id's prefix, which LINE derives from it.
 *
 * LINE's LIFF server API only accepts a token of the LINE Login channel that owns the LIFF app, so
 * the step issues a short-lived one from the login channel's id and secret (checkLoginChannel, the
 * same check as the city admin's LINE settings), and a refusal there means a wrong secret (the id
 * was typed in the same form). The secret is stored encrypted with the channel's other
 * credentials; blank on a resumed step = the stored one.
 */
export type LiffStepInput = { loginChannelId: string; loginChannelSecret?: string; liffId: string };

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

export async function completeLiffStep(
  deps: OnboardingDeps,
  tenantId: string,
  input: LiffStepInput,
  actor: VendorActor,
): Promise<StepOutcome> {
  if (!input.liffId.startsWith(`${input.loginChannelId}-`))
    return { ok: false, field: "liffId", message: MSG.liffPrefix };
  const loaded = await withTenant(deps.db, tenantId, async (tx) => {
    const [tenant] = await tx.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId));
    return { slug: tenant!.slug, creds: await loadChannelCredentials(tx, deps.key, tenantId) };
  });
  if (!loaded.creds) return recordStepFailure(deps.db, tenantId, "liff", MSG.noChannel, actor, { error: "no_channel" });
  const expected = liffEndpointFor(deps.appOrigin, loaded.slug);

  const config = wizardConfig(deps);
  let loginSecret: string;
  let apps: LineLiffApp[];
  try {
    const login = await checkLoginChannel(loaded.creds, input, config);
    if (!login.ok)
      return login.field
        ? { ok: false, field: login.field, message: login.message }
        : recordStepFailure(deps.db, tenantId, "liff", login.message, actor, { error: login.error });
    loginSecret = login.secret;
    apps = await createLineClient(
      { channelId: input.loginChannelId, channelAccessToken: login.accessToken },
      config,
    ).getLiffApps();
  } catch (e) {
    return recordStepFailure(deps.db, tenantId, "liff", lineFailureMessage(e, "LIFFアプリの確認"), actor, {
      error: errorKind(e),
    });
  }
  const app = apps.find((a) => a.liffId === input.liffId);
  if (!app)
    return recordStepFailure(
      deps.db,
      tenantId,
      "liff",
      apps.length ? MSG.liffMissing(input.liffId) : MSG.liffNone,
      actor,
      { error: "not_found", apps: apps.length },
    );
  const endpoint = app.view?.url ?? "";
  if (!sameUrl(endpoint, expected))
    return recordStepFailure(deps.db, tenantId, "liff", MSG.liffEndpoint(endpoint || "（未設定）", expected), actor, {
      error: "endpoint",
    });

  const message = `LIFFアプリ（${input.liffId}）を確認しました。エンドポイントURLは ${expected} です。`;
  const creds = loaded.creds;
  await withTenant(deps.db, tenantId, async (tx) => {
    const saved = await saveChannelCredentials(tx, deps.key, tenantId, {
      channelId: creds.channelId,
      botUserId: creds.botUserId,
      loginChannelId: input.loginChannelId,
      loginChannelSecret: loginSecret,
      liffId: input.liffId,
    });
    if (!saved.ok) throw new Error("unreachable: credentials are stored");
    await recordStepOutcome(
      tx,
      tenantId,
      "liff",
      { status: "done", message },
      { invalidate: saved.changed.length > 0 },
    );
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
      action: "onboarding.liff",
      detail: { ok: true, liffId: input.liffId },
      ip: actor.ip,
    });
  });
  return { ok: true, message };
}
