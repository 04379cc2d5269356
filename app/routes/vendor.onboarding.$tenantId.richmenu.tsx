import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.onboarding.$tenantId.richmenu";
import { Button } from "~/components/ui/button";
import { StepHeading, StepStatus } from "~/features/onboarding/components/wizard";
import { completeRichMenuStep } from "~/features/onboarding/richmenu-step.server";
import { loadWizard, onboardingDepsFromEnv, stepResponse, vendorActor } from "~/features/onboarding/wizard.server";
import { vendorContext } from "~/tenants/context";

/** Step 5: the standard rich menu, published on LINE as the default. */
export async function action({ context, params }: Route.ActionArgs) {
  const vendor = context.get(vendorContext);
  // Actions run without the wizard layout's loader: the same guard (finished wizard, skipped steps).
  await loadWizard(params.tenantId, "richmenu");
  const outcome = await completeRichMenuStep(
    onboardingDepsFromEnv(),
    params.tenantId,
    vendorActor(vendor.user.id, context),
  );
  return stepResponse(params.tenantId, "richmenu", outcome);
}

export default function RichMenuStep({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== "idle";
  const f = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <StepHeading step="richmenu">
        LINEのトーク画面の下に表示するメニューを作ります。「予約する」「予約の確認」「受信設定」など標準の6つのボタンで作成し、LINEに既定のメニューとして反映します。自治体の管理者は、あとから管理画面で内容を変更できます。
      </StepHeading>
      <StepStatus step="richmenu" formError={f?.errors._form} />
      <Form method="post">
        <Button type="submit" disabled={busy}>
          {busy ? "LINEに反映しています…" : "標準のリッチメニューを作成する"}
        </Button>
      </Form>
    </>
  );
}
