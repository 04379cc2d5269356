import { Form, Link, data, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.cities.$tenantId";
import { clientAddress } from "~/lib/client-address.server";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { inviteStaff } from "~/features/staff/staff-admin.server";
import { countAdmins } from "~/features/staff/staff.server";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { emailSchema } from "~/features/staff/staff.schemas";
import { getPlan } from "~/features/billing/plans.server";
import { suspensionCheck } from "~/features/billing/suspension.server";
import { COLLECTIONS, planLabel } from "~/features/onboarding/billing-step.server";
import { getOnboarding } from "~/features/onboarding/state.server";
import { STATUS_LABEL } from "~/features/tenants/tenant-status";
import { getTenant, setTenantStatus } from "~/features/tenants/tenants.server";
import { formatDateTimeJa } from "~/lib/japan-time";
import { formFailure } from "~/lib/forms";
import { vendorContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

const SUSPEND_ON_BILLING_PAGE = "利用の停止は「請求と利用状況」のページで、停止の理由を入力して行ってください。";

export async function loader({ params, request }: Route.LoaderArgs) {
  const tenant = await getTenant(getDb(), params.tenantId);
  if (!tenant) throw data({ message: "自治体が見つかりません。" }, { status: 404 });
  // A city in onboarding goes live through the wizard (its checks), not a bare status switch.
  const onboarding = await getOnboarding(getDb(), tenant.id);
  const url = new URL(request.url);
  const plan = onboarding?.planKey ? await getPlan(getDb(), onboarding.planKey) : null;
  const record = onboarding?.completedAt
    ? {
        completedAt: onboarding.completedAt.toISOString(),
        plan: plan ? planLabel(plan) : "—",
        billingEmail: onboarding.billingEmail ?? "—",
        collection: COLLECTIONS.find((c) => c.key === onboarding.billingCollection)?.label ?? "—",
        adminEmail: onboarding.adminEmail ?? "—",
      }
    : null;
  // Suspension has one set of rules (ADR 012): the billing page's. Shown here so a refusal reads the same.
  const suspension = tenant.status === "active" ? await suspensionCheck(getDb(), tenant.id) : null;
  const adminCount = await countAdmins(getDb(), tenant.id);
  return {
    adminCount,
    suspension: suspension && { allowed: suspension.allowed, reasons: suspension.reasons },
    record,
    inWizard: tenant.status === "onboarding" && !!onboarding && !onboarding.completedAt,
    live: url.searchParams.has("live"),
    tenant: {
      id: tenant.id,
      name: tenant.name,
      slug: tenant.slug,
      prefecture: tenant.prefecture,
      status: tenant.status,
      population: tenant.population,
      areas: tenant.areas,
    },
    created: url.searchParams.has("created"),
  };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  const vendor = context.get(vendorContext);
  const db = getDb();
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const actor = { vendorUserId: vendor.user.id, ip: clientAddress(context) };
  if (intent === "activate") {
    const wizard = await getOnboarding(db, params.tenantId);
    if (wizard && !wizard.completedAt)
      return formFailure({
        _form: "この自治体は利用準備（オンボーディング）の途中です。利用準備の手順を完了すると利用を開始できます。",
      });
  }
  if (intent === "suspend") {
    // Never a bare status switch: only suspendForNonPayment (the billing page, with a reason and a
    // confirmation) suspends, after the grace period and never during a booking opening.
    const check = await suspensionCheck(db, params.tenantId);
    return formFailure({
      _form: check.allowed ? SUSPEND_ON_BILLING_PAGE : `利用を停止できません。${check.reasons.join(" ")}`,
    });
  }
  if (intent === "activate" || intent === "resume") {
    const result = await setTenantStatus(db, params.tenantId, "active", actor);
    return result.ok
      ? { ok: true as const, message: `状態を「${STATUS_LABEL.active}」にしました。` }
      : formFailure({ _form: result.message });
  }
  if (intent === "invite-admin") {
    const email = emailSchema.safeParse(form.get("email") ?? "");
    if (!email.success)
      return formFailure({ email: email.error.issues[0]!.message }, { email: String(form.get("email") ?? "") });
    const tenant = await getTenant(db, params.tenantId);
    if (!tenant) throw data({ message: "自治体が見つかりません。" }, { status: 404 });
    const result = await inviteStaff(db, {
      tenantId: tenant.id,
      email: email.data,
      role: "admin",
      invitedBy: { kind: "vendor", id: vendor.user.id },
      ip: actor.ip,
    });
    if (!result.ok) return formFailure({ email: result.message }, { email: email.data });
    // Also in the platform's log, so every vendor action can be reviewed in one place.
    await recordVendorAudit(db, {
      vendorUserId: vendor.user.id,
      tenantId: tenant.id,
      action: "staff.invite",
      detail: { role: "admin" },
      ip: actor.ip,
    });
    return { ok: true as const, message: `${email.data} に管理者の招待メールを送信しました。` };
  }
  return formFailure({ _form: "操作を認識できませんでした。ページを再読み込みしてください。" });
}

export default function TenantDetail({ loaderData, actionData }: Route.ComponentProps) {
  const { tenant, created, inWizard, live, record, suspension, adminCount } = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <PageHeader
        title={tenant.name}
        description={`${tenant.prefecture} ・ /c/${tenant.slug} ・ 状態: ${STATUS_LABEL[tenant.status]}`}
      />
      {created ? <Notice variant="success">自治体を登録しました。</Notice> : null}
      {live ? (
        <Notice variant="success" title="利用を開始しました">
          住民向けページ（/c/{tenant.slug}）が公開され、LINEでの受け付けが始まりました。
        </Notice>
      ) : null}
      {actionData?.ok ? <Notice variant="success">{actionData.message}</Notice> : null}
      {failure?.errors._form ? <Notice variant="error">{failure.errors._form}</Notice> : null}

      <p className="mt-2">
        <Link className="underline" to={`/vendor/cities/${tenant.id}/billing`}>
          請求と利用状況
        </Link>
      </p>

      <h2 className="mt-8 text-2xl font-bold">状態</h2>
      <Form method="post" className="mt-2 flex gap-4">
        {tenant.status === "onboarding" && inWizard ? (
          <Link className="underline" to={`/vendor/onboarding/${tenant.id}`}>
            利用準備を続ける（オンボーディング）
          </Link>
        ) : null}
        {tenant.status === "onboarding" && !inWizard ? (
          <Button type="submit" name="intent" value="activate" disabled={busy}>
            利用を開始する
          </Button>
        ) : null}
        {tenant.status === "suspended" ? (
          <Button type="submit" name="intent" value="resume" disabled={busy}>
            利用を再開する
          </Button>
        ) : null}
      </Form>
      {suspension ? (
        <SuspensionState tenantId={tenant.id} allowed={suspension.allowed} reasons={suspension.reasons} />
      ) : null}

      {/* Once the city has an admin, its own staff page invites more; here only another admin is offered. */}
      <h2 className="mt-8 text-2xl font-bold">{adminCount === 0 ? "最初の管理者を招待" : "管理者を追加で招待"}</h2>
      {adminCount > 0 ? (
        <p className="mt-2">
          この自治体には管理者が{adminCount}人います。職員の追加は、通常は自治体の管理者が「職員」ページから行います。
        </p>
      ) : null}
      <Form method="post" className="mt-2 max-w-xl space-y-4" noValidate>
        <input type="hidden" name="intent" value="invite-admin" />
        <TextField
          label="管理者のメールアドレス"
          name="email"
          type="email"
          required
          defaultValue={failure?.values.email}
          error={failure?.errors.email}
        />
        <Button type="submit" disabled={busy}>
          招待メールを送る
        </Button>
      </Form>

      {record ? (
        <>
          <h2 className="mt-8 text-2xl font-bold">利用準備の記録</h2>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
            <dt className="font-bold">利用開始</dt>
            <dd>{formatDateTimeJa(record.completedAt)}</dd>
            <dt className="font-bold">プラン</dt>
            <dd>{record.plan}</dd>
            <dt className="font-bold">支払い方法</dt>
            <dd>{record.collection}</dd>
            <dt className="font-bold">請求先</dt>
            <dd>{record.billingEmail}</dd>
            <dt className="font-bold">最初の管理者</dt>
            <dd>{record.adminEmail}</dd>
          </dl>
        </>
      ) : null}

      <h2 className="mt-8 text-2xl font-bold">地区</h2>
      <p className="mt-2">{tenant.areas.length ? tenant.areas.join("、") : "未登録"}</p>
    </>
  );
}

/** Suspending is the billing page's action (reason, confirmation, the rules of ADR 012); here, the way there or why not. */
function SuspensionState({ tenantId, allowed, reasons }: { tenantId: string; allowed: boolean; reasons: string[] }) {
  const billing = `/vendor/cities/${tenantId}/billing`;
  return allowed ? (
    <p className="mt-2">
      <Link className="font-bold text-red-900 underline" to={billing}>
        利用を停止する（請求と利用状況で理由を入力）
      </Link>
    </p>
  ) : (
    <div className="mt-2">
      <p>
        利用の停止は、未払いで猶予期間が過ぎ、予約受付が集中していないときに限り、
        <Link className="underline" to={billing}>
          請求と利用状況
        </Link>
        から行えます。現在は停止できません。
      </p>
      <ul className="mt-2 list-disc pl-6" aria-label="停止できない理由">
        {reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </div>
  );
}
