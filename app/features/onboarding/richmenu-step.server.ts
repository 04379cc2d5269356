import { eq } from "drizzle-orm";
import { withTenant } from "#db/with-tenant.server";
import { tenants } from "#db/schema/index";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { publishRichMenu } from "~/features/line-richmenu/publish.server";
import { wizardConfig, type OnboardingDeps } from "./line-step.server";
import { recordStepFailure, recordStepOutcome, type StepOutcome, type VendorActor } from "./state.server";

/**
 * Step 5: the city's default rich menu (the six standard tiles, image drawn server-side), published
 * through the same use-case as the admin page (ADR 009): created, image uploaded, made the default.
 * A failure leaves LINE as it was (publishRichMenu deletes its half-built menu).
 */
export async function completeRichMenuStep(
  deps: OnboardingDeps,
  tenantId: string,
  actor: VendorActor,
): Promise<StepOutcome> {
  const [tenant] = await deps.db
    .select({ id: tenants.id, slug: tenants.slug })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!tenant) return { ok: false, message: "自治体が見つかりません。" };
  const config = wizardConfig(deps);
  const result = await publishRichMenu(
    {
      db: deps.db,
      key: deps.key,
      appOrigin: deps.appOrigin,
      config: { ...config, retry: { ...config.retry, maxAttempts: 2 } },
    },
    { tenant, kind: "default", actor: { vendorUserId: actor.vendorUserId, ip: actor.ip } },
  );
  if (!result.ok) return recordStepFailure(deps.db, tenantId, "richmenu", result.message, actor);
  const message =
    "標準のリッチメニュー（6つのボタン）を作成し、LINEに既定のメニューとして反映しました。内容は自治体の管理画面からいつでも変更できます。";
  await withTenant(deps.db, tenantId, async (tx) => {
    await recordStepOutcome(tx, tenantId, "richmenu", { status: "done", message });
    await recordVendorAudit(tx, {
      vendorUserId: actor.vendorUserId,
      tenantId,
      action: "onboarding.richmenu",
      detail: { ok: true },
      ip: actor.ip,
    });
  });
  return { ok: true, message };
}
