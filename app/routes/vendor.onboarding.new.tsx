import { redirect, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.onboarding.new";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { parseCityStepForm, startOnboarding } from "~/features/onboarding/city-step.server";
import { CityForm } from "~/features/onboarding/components/city-form";
import { formValues, stepPath, vendorActor } from "~/features/onboarding/wizard.server";
import { formFailure } from "~/lib/forms";
import { vendorContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "新しい自治体の利用準備 | 窓口 ベンダーコンソール" }];

/** Step 1 of the wizard: registers the city as a draft and continues with its LINE channel. */
export async function action({ request, context }: Route.ActionArgs) {
  const vendor = context.get(vendorContext);
  const form = await readForm(request);
  const parsed = parseCityStepForm(form);
  if (!parsed.ok) return parsed;
  const result = await startOnboarding(getDb(), parsed.data, vendorActor(vendor.user.id, context));
  if (!result.ok) return formFailure({ [result.field]: result.message }, formValues(form));
  return redirect(`${stepPath(result.tenantId, "line")}?done=city`);
}

export default function NewOnboarding({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const f = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <PageHeader
        title="新しい自治体の利用準備"
        description="1. 自治体の情報 → 2. LINEチャネル → 3. Webhook → 4. LIFF → 5. リッチメニュー → 6. プランと請求 → 7. 最初の管理者 → 8. 利用開始。各手順は保存され、途中で中断しても再開できます。"
      />
      {f?.errors._form ? (
        <Notice variant="error" className="mb-6">
          {f.errors._form}
        </Notice>
      ) : null}
      <p className="mb-6 max-w-3xl">
        登録した自治体は「準備中」の下書きになり、利用開始までは住民向けページに「準備中」と表示されます。
      </p>
      <CityForm values={f?.values ?? {}} errors={f?.errors ?? {}} busy={busy} submitLabel="登録して次へ" />
    </>
  );
}
