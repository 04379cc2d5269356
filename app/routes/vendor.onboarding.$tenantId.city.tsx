import { Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.onboarding.$tenantId.city";
import { Button } from "~/components/ui/button";
import { getDb } from "#db/client.server";
import { discardDraft, parseCityStepForm, updateCityStep } from "~/features/onboarding/city-step.server";
import { CityForm } from "~/features/onboarding/components/city-form";
import { StepHeading, StepStatus, useWizard } from "~/features/onboarding/components/wizard";
import { formValues, loadWizard, stepResponse, vendorActor } from "~/features/onboarding/wizard.server";
import { formFailure } from "~/lib/forms";
import { contactFormValues, readCityContact } from "~/lib/city-contact";
import { vendorContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

/** Step 1 on resume: edit the draft's details, or throw the draft away. */
export async function action({ request, context, params }: Route.ActionArgs) {
  const vendor = context.get(vendorContext);
  // Actions run without the wizard layout's loader: the same guard (finished wizard, skipped steps).
  await loadWizard(params.tenantId, "city");
  const actor = vendorActor(vendor.user.id, context);
  const form = await readForm(request);
  if (form.get("intent") === "discard") {
    if (form.get("confirm") !== "yes")
      return formFailure({ _form: "破棄する場合は「削除してよいことを確認しました」にチェックを入れてください。" });
    const result = await discardDraft(getDb(), params.tenantId, actor);
    if (!result.ok) return formFailure({ _form: result.message });
    return redirect(`/vendor?discarded=${encodeURIComponent(result.message)}`);
  }
  const parsed = parseCityStepForm(form);
  if (!parsed.ok) return parsed;
  const result = await updateCityStep(getDb(), params.tenantId, parsed.data, actor);
  return stepResponse(params.tenantId, "city", result.ok ? { ok: true, message: "" } : result, formValues(form));
}

export default function CityStep({ actionData }: Route.ComponentProps) {
  const { tenant } = useWizard();
  const busy = useNavigation().state === "submitting";
  const f = actionData && !actionData.ok ? actionData : null;
  const values = f?.values ?? {
    name: tenant.name,
    slug: tenant.slug,
    prefecture: tenant.prefecture,
    population: tenant.population?.toString() ?? "",
    areas: tenant.areas.join("\n"),
    ...contactFormValues(readCityContact(tenant.contact)),
  };
  return (
    <>
      <StepHeading step="city">
        利用開始までは内容を変更できます。URL用の名前を変えると、LIFFとリッチメニューの手順をもう一度行う必要があります。
      </StepHeading>
      <StepStatus step="city" formError={f?.errors._form} />
      <CityForm values={values} errors={f?.errors ?? {}} busy={busy} submitLabel="保存して次へ" />

      <h3 className="mt-12 text-xl font-bold">下書きを破棄する</h3>
      <p className="mt-2 max-w-3xl">
        この自治体の下書きと、ここまでに保存した設定（LINEの認証情報、招待など）をすべて削除します。LINE
        Developersコンソールに設定したWebhook URLはLINE側に残ります。
      </p>
      <Form method="post" className="mt-4">
        <input type="hidden" name="intent" value="discard" />
        <label className="mb-4 flex min-h-tap items-center gap-2">
          <input type="checkbox" name="confirm" value="yes" className="size-5" />
          削除してよいことを確認しました
        </label>
        <Button type="submit" variant="danger" disabled={busy}>
          下書きを破棄する
        </Button>
      </Form>
    </>
  );
}
