import { redirect } from "react-router";
import type { Route } from "./+types/vendor.onboarding.$tenantId._index";
import { loadWizard, stepPath } from "~/features/onboarding/wizard.server";

/** "Resume": the first step that is not done yet. */
export async function loader({ params }: Route.LoaderArgs) {
  const { tenant, row } = await loadWizard(params.tenantId, null);
  return redirect(stepPath(tenant.id, row.currentStep));
}
