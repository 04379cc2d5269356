import { Outlet, useLocation } from "react-router";
import type { Route } from "./+types/vendor.onboarding.$tenantId";
import { PageHeader } from "~/components/ui/page-header";
import { StepList, type WizardData } from "~/features/onboarding/components/wizard";
import { isStep } from "~/features/onboarding/steps";
import { loadWizard } from "~/features/onboarding/wizard.server";

/** The wizard for one city: its progress on every step page, and the guard against skipping steps. */
export async function loader({ params, request }: Route.LoaderArgs): Promise<WizardData> {
  const last = new URL(request.url).pathname.split("/").pop();
  const { tenant, row } = await loadWizard(params.tenantId, isStep(last) ? last : null);
  return {
    tenant: {
      id: tenant.id,
      name: tenant.name,
      slug: tenant.slug,
      prefecture: tenant.prefecture,
      population: tenant.population,
      areas: tenant.areas,
      contact: tenant.contact ?? null,
    },
    steps: row.steps,
    currentStep: row.currentStep,
  };
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.tenant.name ?? ""} の利用準備 | 窓口 ベンダーコンソール` },
];

export default function OnboardingWizard({ loaderData }: Route.ComponentProps) {
  const last = useLocation().pathname.split("/").pop();
  const { tenant, steps } = loaderData;
  return (
    <>
      <PageHeader
        title={`${tenant.name} の利用準備`}
        description={`${tenant.prefecture} ・ /c/${tenant.slug} ・ 各手順は保存され、いつでも中断・再開できます。`}
      />
      <StepList tenantId={tenant.id} steps={steps} active={isStep(last) ? last : null} />
      <Outlet />
    </>
  );
}
