import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.onboarding.$tenantId.webhook";
import { Button } from "~/components/ui/button";
import { webhookUrl } from "~/features/line/channel-admin.server";
import { StepHeading, StepStatus } from "~/features/onboarding/components/wizard";
import { completeWebhookStep } from "~/features/onboarding/webhook-step.server";
import { loadWizard, onboardingDepsFromEnv, stepResponse, vendorActor } from "~/features/onboarding/wizard.server";
import { vendorContext } from "~/tenants/context";

export function loader({ params }: Route.LoaderArgs) {
  return { webhookUrl: webhookUrl(onboardingDepsFromEnv().appOrigin, params.tenantId) };
}

/** Step 3: set the webhook URL on LINE and have LINE send its signed test request to it. */
export async function action({ context, params }: Route.ActionArgs) {
  const vendor = context.get(vendorContext);
  // Actions run without the wizard layout's loader: the same guard (finished wizard, skipped steps).
  await loadWizard(params.tenantId, "webhook");
  const outcome = await completeWebhookStep(
    onboardingDepsFromEnv(),
    params.tenantId,
    vendorActor(vendor.user.id, context),
  );
  return stepResponse(params.tenantId, "webhook", outcome);
}

export default function WebhookStep({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== "idle";
  const f = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <StepHeading step="webhook">
        LINEのAPIを通じて、この自治体のWebhook
        URLをLINEに設定し、LINEからテスト送信をしてもらいます。テスト送信はチャネルシークレットで署名されるため、シークレットが正しいこともここで確かめられます。
      </StepHeading>
      <StepStatus step="webhook" formError={f?.errors._form} />
      <p className="font-bold">設定するWebhook URL</p>
      <p className="mt-1 mb-6 break-all rounded-8 bg-solid-gray-50 p-3 font-mono">{loaderData.webhookUrl}</p>
      <Form method="post">
        <Button type="submit" disabled={busy}>
          {busy ? "LINEで設定・テストしています…" : "Webhookを設定してテストする"}
        </Button>
      </Form>
    </>
  );
}
