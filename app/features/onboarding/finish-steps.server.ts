import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { inviteStaff } from "~/features/staff/staff-admin.server";
import { setTenantStatus } from "~/features/tenants/tenants.server";
import { forgetTenant } from "~/tenants/resolve.server";
import { getOnboarding, recordStepOutcome, type StepOutcome, type VendorActor } from "./state.server";
import { isReachable, STEP_LABEL, stepState, ONBOARDING_STEPS } from "./steps";

/**
 * Steps 7 and 8: the city's first admin is invited by e-mail (the invitation and its mail job in one
 * transaction, through the outbox — staff slice), then the city goes live: status "active", resident
 * pages open, the wizard is closed.
 */
export async function completeAdminStep(
  db: Db,
  tenantId: string,
  email: string,
  actor: VendorActor,
): Promise<StepOutcome> {
  const invited = await inviteStaff(db, {
    tenantId,
    email,
    role: "admin",
    invitedBy: { kind: "vendor", id: actor.vendorUserId },
    ip: actor.ip,
  });
  // The one refusal is "already on this city's staff" — resuming after the invitee joined: the goal is met.
  const already = !invited.ok;
  const message = already
    ? `${email} はすでにこの自治体の職員として登録されています。`
    : `${email} に管理者の招待メールを送信しました（有効期限72時間）。`;
  await withTenant(db, tenantId, async (tx) => {
    await recordStepOutcome(tx, tenantId, "admin", { status: "done", message }, { set: { adminEmail: email } });
    await recordVendorAudit(tx, {
      vendorUserId: actor.vendorUserId,
      tenantId,
      action: "onboarding.admin",
      detail: { ok: true, alreadyMember: already, ...(invited.ok ? { invitationId: invited.invitationId } : {}) },
      ip: actor.ip,
    });
  });
  return { ok: true, message };
}

export async function goLive(db: Db, tenantId: string, actor: VendorActor): Promise<StepOutcome> {
  const row = await getOnboarding(db, tenantId);
  if (!row) return { ok: false, message: "この自治体のオンボーディング記録が見つかりません。" };
  if (!isReachable(row.steps, "live")) {
    const missing = ONBOARDING_STEPS.filter((s) => s !== "live" && stepState(row.steps, s).status !== "done").map(
      (s) => `「${STEP_LABEL[s]}」`,
    );
    return { ok: false, message: `まだ完了していない手順があります：${missing.join("、")}。` };
  }
  const message = "利用を開始しました。住民向けページとLINEの受け付けが有効になりました。";
  const result = await withTenant(db, tenantId, async (tx) => {
    const changed = await setTenantStatus(tx, tenantId, "active", actor);
    if (!changed.ok) return changed;
    await recordStepOutcome(tx, tenantId, "live", { status: "done", message }, { set: { completedAt: new Date() } });
    await recordVendorAudit(tx, {
      vendorUserId: actor.vendorUserId,
      tenantId,
      action: "onboarding.live",
      detail: { ok: true },
      ip: actor.ip,
    });
    return { ok: true as const, slug: changed.tenant.slug };
  });
  if (!result.ok) return { ok: false, message: result.message };
  // setTenantStatus forgot the cached tenant before our commit; forget it again now it is visible.
  forgetTenant(result.slug);
  return { ok: true, message };
}
