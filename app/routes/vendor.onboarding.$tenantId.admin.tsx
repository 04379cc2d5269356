import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.onboarding.$tenantId.admin";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/text-field";
import { StepHeading, StepStatus } from "~/features/onboarding/components/wizard";
import { completeAdminStep } from "~/features/onboarding/finish-steps.server";
import { getOnboarding } from "~/features/onboarding/state.server";
import { loadWizard, onboardingDepsFromEnv, stepResponse, vendorActor } from "~/features/onboarding/wizard.server";
import { emailSchema } from "~/features/staff/staff.schemas";
import { formFailure } from "~/lib/forms";
import { vendorContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export async function loader({ params }: Route.LoaderArgs) {
  const row = await getOnboarding(onboardingDepsFromEnv().db, params.tenantId);
  return { adminEmail: row?.adminEmail ?? "" };
}

/** Step 7: the city's first admin, invited by e-mail (a new invitation replaces an unused earlier one). */
export async function action({ request, context, params }: Route.ActionArgs) {
  const vendor = context.get(vendorContext);
  // Actions run without the wizard layout's loader: the same guard (finished wizard, skipped steps).
  await loadWizard(params.tenantId, "admin");
  const form = await readForm(request);
  const email = emailSchema.safeParse(form.get("email") ?? "");
  if (!email.success)
    return formFailure({ email: email.error.issues[0]!.message }, { email: String(form.get("email") ?? "") });
  const outcome = await completeAdminStep(
    onboardingDepsFromEnv().db,
    params.tenantId,
    email.data,
    vendorActor(vendor.user.id, context),
  );
  return stepResponse(params.tenantId, "admin", outcome, { email: email.data });
}

export default function AdminStep({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== "idle";
  const f = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <StepHeading step="admin">
        自治体の最初の管理者にメールで招待を送ります。招待された方はメールのリンクから氏名とパスワードを設定し、管理画面を使い始めます（リンクの有効期限は72時間）。
      </StepHeading>
      <StepStatus step="admin" formError={f?.errors._form} />
      <Form method="post" className="max-w-xl space-y-6" noValidate>
        <TextField
          label="管理者のメールアドレス"
          name="email"
          type="email"
          required
          defaultValue={f?.values.email ?? loaderData.adminEmail}
          error={f?.errors.email}
        />
        <Button type="submit" disabled={busy}>
          招待メールを送って次へ
        </Button>
      </Form>
    </>
  );
}
