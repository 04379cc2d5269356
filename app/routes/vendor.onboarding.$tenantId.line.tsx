import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.onboarding.$tenantId.line";
import { Button } from "~/components/ui/button";
import { ChannelCredentialFields } from "~/features/line/components/channel-credential-fields";
import { channelSettingsSchema } from "~/features/line/line.schemas";
import { StepHeading, StepStatus } from "~/features/onboarding/components/wizard";
import { completeLineStep, storedChannel } from "~/features/onboarding/line-step.server";
import {
  formValues,
  loadWizard,
  onboardingDepsFromEnv,
  stepResponse,
  vendorActor,
} from "~/features/onboarding/wizard.server";
import { parseForm } from "~/lib/forms";
import { vendorContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

const lineStepSchema = channelSettingsSchema.pick({ channelId: true, channelSecret: true, channelAccessToken: true });

export async function loader({ params }: Route.LoaderArgs) {
  const channel = await storedChannel(onboardingDepsFromEnv().db, params.tenantId);
  return {
    channel: channel
      ? { channelId: channel.channelId, secretMasked: channel.secretMasked, tokenMasked: channel.tokenMasked }
      : null,
  };
}

/** Step 2: checked live (bot info, token's channel) before anything is stored. */
export async function action({ request, context, params }: Route.ActionArgs) {
  const vendor = context.get(vendorContext);
  // Actions run without the wizard layout's loader: the same guard (finished wizard, skipped steps).
  await loadWizard(params.tenantId, "line");
  const form = await readForm(request);
  const parsed = parseForm(lineStepSchema, form);
  if (!parsed.ok) return parsed;
  const outcome = await completeLineStep(
    onboardingDepsFromEnv(),
    params.tenantId,
    parsed.data,
    vendorActor(vendor.user.id, context),
  );
  return stepResponse(params.tenantId, "line", outcome, formValues(form));
}

export default function LineStep({ loaderData, actionData }: Route.ComponentProps) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const f = actionData && !actionData.ok ? actionData : null;
  const { channel } = loaderData;
  return (
    <>
      <StepHeading step="line">
        この自治体のLINE公式アカウント（Messaging APIチャネル）の情報を、LINE
        Developersコンソールからコピーして貼り付けてください。保存する前にLINEに接続して確認します。チャネルシークレットとアクセストークンは暗号化して保存されます。
      </StepHeading>
      <StepStatus step="line" formError={f?.errors._form} />
      <Form method="post" className="max-w-2xl space-y-6" noValidate autoComplete="off">
        <ChannelCredentialFields stored={channel} values={f?.values} errors={f?.errors} />
        <Button type="submit" disabled={busy}>
          {busy ? "LINEに接続して確認しています…" : "LINEで確認して保存"}
        </Button>
      </Form>
    </>
  );
}
