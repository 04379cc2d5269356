import { data, redirect } from "react-router";
import { getDb } from "#db/client.server";
import type { RouterContextProvider } from "react-router";
import { clientAddress } from "~/lib/client-address.server";
import { getTenant } from "~/features/tenants/tenants.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { formFailure } from "~/lib/forms";
import type { OnboardingDeps } from "./line-step.server";
import { getOnboarding, type StepOutcome, type VendorActor } from "./state.server";
import { currentStepOf, isReachable, ONBOARDING_STEPS, type OnboardingStep } from "./steps";

/** Glue for the wizard's thin routes: loading a city's progress, the guard, and step results → responses. */
export function onboardingDepsFromEnv(): OnboardingDeps {
  const e = env();
  return { db: getDb(), key: masterKey(e.MADOGUCHI_MASTER_KEY), appOrigin: e.APP_ORIGIN };
}

export const stepPath = (tenantId: string, step: OnboardingStep) => `/vendor/onboarding/${tenantId}/${step}`;

export function vendorActor(vendorUserId: string, context: Readonly<RouterContextProvider>): VendorActor {
  return { vendorUserId, ip: clientAddress(context) };
}

/**
 * The city and its wizard row, or a 404. A finished wizard sends the vendor to the city's page; a
 * step whose earlier steps are not done yet sends them to the first step that is not.
 */
export async function loadWizard(tenantId: string, step: OnboardingStep | null) {
  const db = getDb();
  const [tenant, row] = await Promise.all([getTenant(db, tenantId), getOnboarding(db, tenantId)]);
  if (!tenant || !row) throw data({ message: "オンボーディング中の自治体が見つかりません。" }, { status: 404 });
  if (row.completedAt) throw redirect(`/vendor/cities/${tenant.id}`);
  if (step && !isReachable(row.steps, step)) throw redirect(stepPath(tenant.id, currentStepOf(row.steps)));
  return { tenant, row };
}

/** Success → the next step's page (which shows what was just done); failure → the form again with the message. */
export function stepResponse(
  tenantId: string,
  step: OnboardingStep,
  outcome: StepOutcome,
  values: Record<string, string> = {},
) {
  if (outcome.ok) {
    const next = ONBOARDING_STEPS[ONBOARDING_STEPS.indexOf(step) + 1] ?? "live";
    return redirect(`${stepPath(tenantId, next)}?done=${step}`);
  }
  return formFailure({ [outcome.field ?? "_form"]: outcome.message }, values);
}

/** What a failed form shows again: never a secret or token, which would travel back to the browser. */
export function formValues(form: FormData): Record<string, string> {
  return Object.fromEntries(
    [...form.entries()].filter(([k, v]) => typeof v === "string" && !/secret|token/i.test(k)),
  ) as Record<string, string>;
}
