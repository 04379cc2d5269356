import { Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.onboarding.$tenantId.live";
import { Button } from "~/components/ui/button";
import { StepHeading, StepStatus, useWizard } from "~/features/onboarding/components/wizard";
import { goLive } from "~/features/onboarding/finish-steps.server";
import { loadWizard, onboardingDepsFromEnv, vendorActor } from "~/features/onboarding/wizard.server";
import { formFailure } from "~/lib/forms";
import { vendorContext } from "~/tenants/context";

/** Step 8: the city goes live; the wizard closes and the vendor lands on the city's page. */
export async function action({ context, params }: Route.ActionArgs) {
  const vendor = context.get(vendorContext);
  // Actions run without the wizard layout's loader: the same guard (finished wizard, skipped steps).
  await loadWizard(params.tenantId, "live");
  const outcome = await goLive(onboardingDepsFromEnv().db, params.tenantId, vendorActor(vendor.user.id, context));
  if (!outcome.ok) return formFailure({ _form: outcome.message });
  return redirect(`/vendor/cities/${params.tenantId}?live=1`);
}

export default function LiveStep({ actionData }: Route.ComponentProps) {
  const { tenant } = useWizard();
  const busy = useNavigation().state !== "idle";
  const f = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <StepHeading step="live">
        すべての手順が完了しました。利用を開始すると、住民向けページ（/c/{tenant.slug}
        ）が公開され、LINEでの受け付けが始まります。
      </StepHeading>
      <StepStatus step="live" formError={f?.errors._form} />
      <Form method="post">
        <Button type="submit" disabled={busy}>
          利用を開始する
        </Button>
      </Form>
    </>
  );
}
