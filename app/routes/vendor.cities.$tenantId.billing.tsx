import { Form, Link, data, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.cities.$tenantId.billing";
import { clientAddress } from "~/lib/client-address.server";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { suspendSchema } from "~/features/billing/billing.schemas";
import { BillingSummary, InvoiceTable, PastDueNotice, UsageTable } from "~/features/billing/components/billing-parts";
import { dateJa, monthLabel } from "~/features/billing/labels";
import { cityBillingView, suspensionCheck } from "~/features/billing/overview.server";
import { reinstateCity, suspendForNonPayment } from "~/features/billing/suspension.server";
import { cityUsageHistory } from "~/features/billing/usage.server";
import { STATUS_LABEL } from "~/features/tenants/tenant-status";
import { formFailure, parseForm } from "~/lib/forms";
import { vendorContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "自治体の請求 | 窓口 ベンダーコンソール" }];

export async function loader({ params }: Route.LoaderArgs) {
  const db = getDb();
  const view = await cityBillingView(db, params.tenantId);
  if (!view) throw data({ message: "自治体が見つかりません。" }, { status: 404 });
  const [check, usage] = await Promise.all([
    suspensionCheck(db, view.tenant.id),
    cityUsageHistory(db, view.tenant.id, 6),
  ]);
  return {
    ...view,
    suspension: {
      allowed: check.allowed,
      reasons: check.reasons,
      opening: {
        inProgress: check.opening.inProgress,
        recentBookings: check.opening.recentBookings,
        phaseOpensAt: check.opening.phaseOpensAt?.toISOString() ?? null,
      },
    },
    usage,
  };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  const vendor = context.get(vendorContext);
  const actor = { vendorUserId: vendor.user.id, ip: clientAddress(context) };
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "suspend") {
    const parsed = parseForm(suspendSchema, form);
    if (!parsed.ok) return parsed;
    const result = await suspendForNonPayment(
      getDb(),
      { tenantId: params.tenantId, reason: parsed.data.reason },
      actor,
    );
    return result.ok
      ? {
          ok: true as const,
          message: "未払いのため利用を停止しました。住民向けページには「現在ご利用いただけません」と表示されます。",
        }
      : formFailure({ _form: result.message }, { reason: parsed.data.reason });
  }
  if (intent === "reinstate") {
    const note = String(form.get("note") ?? "")
      .trim()
      .slice(0, 500);
    const result = await reinstateCity(getDb(), { tenantId: params.tenantId, note }, actor);
    return result.ok ? { ok: true as const, message: "利用を再開しました。" } : formFailure({ _form: result.message });
  }
  return formFailure({ _form: "操作を認識できませんでした。ページを再読み込みしてください。" });
}

export default function CityBilling({ loaderData, actionData }: Route.ComponentProps) {
  const { tenant, billing, plan, invoices, suspension, usage } = loaderData;
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <PageHeader title={`${tenant.name} の請求`} description={`利用状態: ${STATUS_LABEL[tenant.status]}`} />
      <p className="mt-2 flex gap-6">
        <Link className="underline" to={`/vendor/cities/${tenant.id}`}>
          自治体の詳細へ戻る
        </Link>
        <Link className="underline" to="/vendor/billing">
          請求の状況（全自治体）
        </Link>
      </p>
      {actionData?.ok ? (
        <Notice variant="success" className="mt-4">
          {actionData.message}
        </Notice>
      ) : null}
      {failure?.errors._form ? (
        <Notice variant="error" className="mt-4">
          {failure.errors._form}
        </Notice>
      ) : null}
      <PastDueNotice billing={billing} audience="vendor" />

      <h2 className="mt-8 text-2xl font-bold">契約と請求状態</h2>
      <BillingSummary billing={billing} plan={plan} />
      {billing?.stripeCustomerId ? (
        <p className="mt-2 text-sm">
          Stripe 顧客ID: <code data-testid="stripe-customer-id">{billing.stripeCustomerId}</code>
        </p>
      ) : null}

      <h2 className="mt-8 text-2xl font-bold">請求書</h2>
      <InvoiceTable invoices={invoices} />

      <h2 className="mt-8 text-2xl font-bold">利用状況（直近6か月）</h2>
      <UsageTable
        caption="月別の利用状況"
        firstHeader="対象月"
        rows={usage.map((u) => ({ key: u.month, label: monthLabel(u.month), ...u }))}
      />

      {tenant.status === "suspended" ? (
        <>
          <h2 className="mt-8 text-2xl font-bold">利用の再開</h2>
          <Form method="post" className="mt-2 max-w-xl space-y-4" noValidate>
            <input type="hidden" name="intent" value="reinstate" />
            <TextField label="メモ（入金確認日など）" name="note" />
            <Button type="submit" disabled={busy}>
              利用を再開する
            </Button>
          </Form>
        </>
      ) : (
        <>
          <h2 className="mt-8 text-2xl font-bold">未払いによる利用停止</h2>
          <p className="mt-2">
            支払期限から猶予期間が過ぎ、予約受付が集中していないときに限り停止できます。停止しても自動では行われません。
          </p>
          {suspension.opening.inProgress ? (
            <p className="mt-2">
              予約受付の状況: 直近24時間の予約 {suspension.opening.recentBookings}件
              {suspension.opening.phaseOpensAt ? `・予約開始 ${dateJa(suspension.opening.phaseOpensAt)}` : ""}
            </p>
          ) : null}
          {suspension.allowed ? (
            <Form method="post" className="mt-4 max-w-xl space-y-4" noValidate>
              <input type="hidden" name="intent" value="suspend" />
              <TextField
                label="停止の理由"
                name="reason"
                required
                defaultValue={failure?.values.reason}
                error={failure?.errors.reason}
                hint="自治体への連絡内容とあわせて記録されます。"
              />
              <label className="flex items-start gap-2">
                <input
                  type="checkbox"
                  name="confirm"
                  value="yes"
                  className="mt-1 size-5"
                  aria-describedby={failure?.errors.confirm ? "confirm-error" : undefined}
                />
                <span>住民向けページが「現在ご利用いただけません」になることを確認しました。</span>
              </label>
              {failure?.errors.confirm ? (
                <p id="confirm-error" className="text-red-900">
                  {failure.errors.confirm}
                </p>
              ) : null}
              <Button type="submit" variant="danger" disabled={busy}>
                未払いのため利用を停止する
              </Button>
            </Form>
          ) : (
            <ul className="mt-2 list-disc pl-6" aria-label="停止できない理由">
              {suspension.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}
