import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.onboarding.$tenantId.billing";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/text-field";
import { billingStepSchema, completeBillingStep, loadBillingStep } from "~/features/onboarding/billing-step.server";
import { StepHeading, StepStatus } from "~/features/onboarding/components/wizard";
import {
  formValues,
  loadWizard,
  onboardingDepsFromEnv,
  stepResponse,
  vendorActor,
} from "~/features/onboarding/wizard.server";
import { getTenant } from "~/features/tenants/tenants.server";
import { stripeFromEnv } from "~/integrations/stripe/client.server";
import { env } from "~/lib/env.server";
import { parseForm } from "~/lib/forms";
import { vendorContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export async function loader({ params }: Route.LoaderArgs) {
  const { db } = onboardingDepsFromEnv();
  const tenant = (await getTenant(db, params.tenantId))!;
  return loadBillingStep({ db }, { id: tenant.id, population: tenant.population });
}

/** Step 6: plan and billing (billing-step.server.ts is the seam where Stripe plugs in). */
export async function action({ request, context, params }: Route.ActionArgs) {
  const vendor = context.get(vendorContext);
  // Actions run without the wizard layout's loader: the same guard (finished wizard, skipped steps).
  await loadWizard(params.tenantId, "billing");
  const form = await readForm(request);
  const parsed = parseForm(billingStepSchema, form);
  if (!parsed.ok) return parsed;
  const outcome = await completeBillingStep(
    { db: onboardingDepsFromEnv().db, stripe: stripeFromEnv().stripe, graceDays: env().BILLING_GRACE_DAYS },
    params.tenantId,
    parsed.data,
    vendorActor(vendor.user.id, context),
  );
  return stepResponse(params.tenantId, "billing", outcome, formValues(form));
}

export default function BillingStep({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== "idle";
  const f = actionData && !actionData.ok ? actionData : null;
  const chosen = f?.values.planKey ?? loaderData.current.planKey ?? loaderData.suggested;
  const collection = f?.values.collection ?? loaderData.current.collection ?? "send_invoice";
  return (
    <>
      <StepHeading step="billing">
        人口の規模に合わせたプランを選び、請求書の送付先を入力してください。人口から目安のプランを選択しています。
      </StepHeading>
      <StepStatus step="billing" formError={f?.errors._form} />
      <Form method="post" className="max-w-2xl space-y-6" noValidate>
        <fieldset aria-describedby={f?.errors.planKey ? "plan-error" : undefined}>
          <legend className="font-bold">プラン</legend>
          <div className="mt-2 space-y-2">
            {loaderData.plans.map((p) => (
              <label
                key={p.key}
                className="flex min-h-tap items-center gap-3 rounded-8 border border-solid-gray-300 p-3"
              >
                <input type="radio" name="planKey" value={p.key} defaultChecked={p.key === chosen} className="size-5" />
                <span>
                  <span className="font-bold">{p.label}</span>
                  {p.key === loaderData.suggested ? " — 人口からの目安" : ""}
                </span>
              </label>
            ))}
          </div>
          {f?.errors.planKey ? (
            <p id="plan-error" className="mt-2 text-error-2">
              {f.errors.planKey}
            </p>
          ) : null}
        </fieldset>
        <fieldset aria-describedby={f?.errors.collection ? "collection-error" : undefined}>
          <legend className="font-bold">支払い方法</legend>
          <div className="mt-2 space-y-2">
            {loaderData.collections.map((c) => (
              <label key={c.key} className="flex min-h-tap items-center gap-3">
                <input
                  type="radio"
                  name="collection"
                  value={c.key}
                  defaultChecked={c.key === collection}
                  className="size-5"
                />
                <span>{c.label}</span>
              </label>
            ))}
          </div>
          {f?.errors.collection ? (
            <p id="collection-error" className="mt-2 text-error-2">
              {f.errors.collection}
            </p>
          ) : null}
        </fieldset>
        <TextField
          label="請求書の送付先メールアドレス"
          name="billingEmail"
          type="email"
          required
          hint="例: keiri@city.example.jp（自治体の会計担当）"
          defaultValue={f?.values.billingEmail ?? loaderData.current.billingEmail ?? ""}
          error={f?.errors.billingEmail}
        />
        <Button type="submit" disabled={busy}>
          保存して次へ
        </Button>
      </Form>
    </>
  );
}
