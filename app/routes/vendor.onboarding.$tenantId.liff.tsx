import { Form, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/vendor.onboarding.$tenantId.liff";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/text-field";
import { channelSettingsSchema } from "~/features/line/line.schemas";
import { StepHeading, StepStatus, useWizard } from "~/features/onboarding/components/wizard";
import { completeLiffStep } from "~/features/onboarding/liff-step.server";
import { liffEndpointFor } from "~/features/onboarding/steps";
import { storedChannel } from "~/features/onboarding/line-step.server";
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

const liffStepSchema = channelSettingsSchema
  .pick({ loginChannelId: true, liffId: true })
  .required({ loginChannelId: true, liffId: true })
  .extend({ loginChannelSecret: z.string().trim().max(200, "チャネルシークレットが長すぎます。").optional() });

export async function loader({ params }: Route.LoaderArgs) {
  const deps = onboardingDepsFromEnv();
  const channel = await storedChannel(deps.db, params.tenantId);
  return {
    appOrigin: deps.appOrigin,
    loginChannelId: channel?.loginChannelId ?? "",
    loginSecretMasked: channel?.loginSecretMasked ?? null,
    liffId: channel?.liffId ?? "",
  };
}

/** Step 4: the LIFF app exists on LINE (checked with a token of its LINE Login channel) and opens this city's pages. */
export async function action({ request, context, params }: Route.ActionArgs) {
  const vendor = context.get(vendorContext);
  // Actions run without the wizard layout's loader: the same guard (finished wizard, skipped steps).
  await loadWizard(params.tenantId, "liff");
  const form = await readForm(request);
  const parsed = parseForm(liffStepSchema, form);
  if (!parsed.ok) return parsed;
  const outcome = await completeLiffStep(
    onboardingDepsFromEnv(),
    params.tenantId,
    parsed.data,
    vendorActor(vendor.user.id, context),
  );
  return stepResponse(params.tenantId, "liff", outcome, formValues(form));
}

export default function LiffStep({ loaderData, actionData }: Route.ComponentProps) {
  const { tenant } = useWizard();
  const busy = useNavigation().state !== "idle";
  const f = actionData && !actionData.ok ? actionData : null;
  const endpoint = liffEndpointFor(loaderData.appOrigin, tenant.slug);
  return (
    <>
      <StepHeading step="liff">
        住民がLINEの中で予約や受信設定のページを開くためのLIFFアプリを確認します。LINE
        DevelopersコンソールでLINEログインチャネルにLIFFアプリを追加し、エンドポイントURLを次のURLにしてください。
      </StepHeading>
      <p className="mb-6 break-all rounded-8 bg-solid-gray-50 p-3 font-mono">{endpoint}</p>
      <StepStatus step="liff" formError={f?.errors._form} />
      <Form method="post" className="max-w-2xl space-y-6" noValidate>
        <TextField
          label="LINEログインのチャネルID"
          name="loginChannelId"
          required
          inputMode="numeric"
          hint="LIFFアプリを追加したLINEログインチャネルのID（数字）"
          defaultValue={f?.values.loginChannelId ?? loaderData.loginChannelId}
          error={f?.errors.loginChannelId}
        />
        <TextField
          label="LINEログインのチャネルシークレット"
          name="loginChannelSecret"
          type="password"
          autoComplete="new-password"
          required={!loaderData.loginSecretMasked}
          hint={
            loaderData.loginSecretMasked
              ? `保存済み（${loaderData.loginSecretMasked}）。変更するときだけ入力してください。`
              : "LINEログインチャネルの「チャネル基本設定」のチャネルシークレット（Messaging APIチャネルのものではありません）"
          }
          error={f?.errors.loginChannelSecret}
        />
        <TextField
          label="LIFF ID"
          name="liffId"
          required
          hint="例：2000000101-AbCdEfGh（「LIFF」タブに表示されています）"
          defaultValue={f?.values.liffId ?? loaderData.liffId}
          error={f?.errors.liffId}
        />
        <Button type="submit" disabled={busy}>
          {busy ? "LINEで確認しています…" : "LINEで確認して保存"}
        </Button>
      </Form>
    </>
  );
}
