import type { ReactNode } from "react";
import { Link, useLocation, useRouteLoaderData } from "react-router";
import { Notice } from "~/components/ui/notice";
import { cx } from "~/components/ui/cx";
import {
  isReachable,
  ONBOARDING_STEPS,
  STATUS_LABEL,
  STEP_LABEL,
  stepState,
  type OnboardingStep,
  type OnboardingSteps,
} from "../steps";

/** What the wizard's layout route loads; every step page reads it for the saved state. */
export type WizardData = {
  tenant: {
    id: string;
    name: string;
    slug: string;
    prefecture: string;
    population: number | null;
    areas: string[];
    contact: unknown;
  };
  steps: OnboardingSteps;
  currentStep: OnboardingStep;
};

export const WIZARD_ROUTE_ID = "routes/vendor.onboarding.$tenantId";

export function useWizard(): WizardData {
  return useRouteLoaderData(WIZARD_ROUTE_ID) as WizardData;
}

const MARK: Record<string, string> = { done: "✓", failed: "!", pending: "" };

/** Every step with its state: done ones and the next one are links, later ones plain text. */
export function StepList({
  tenantId,
  steps,
  active,
}: {
  tenantId: string;
  steps: OnboardingSteps;
  active: OnboardingStep | null;
}) {
  return (
    <nav aria-label="オンボーディングの手順" className="mb-8">
      <ol className="grid gap-2 sm:grid-cols-2 xl:grid-cols-4">
        {ONBOARDING_STEPS.map((step, i) => {
          const state = stepState(steps, step);
          const reachable = isReachable(steps, step);
          const label = (
            <>
              <span
                aria-hidden="true"
                className={cx(
                  "inline-flex size-7 shrink-0 items-center justify-center rounded-full border-2 font-bold",
                  state.status === "done" && "border-success-2 bg-success-2 text-white",
                  state.status === "failed" && "border-error-2 bg-error-2 text-white",
                  state.status === "pending" && "border-solid-gray-600",
                )}
              >
                {MARK[state.status] || i + 1}
              </span>
              <span>
                <span className="block font-bold">
                  {i + 1}. {STEP_LABEL[step]}
                </span>
                <span className="block text-sm">{STATUS_LABEL[state.status]}</span>
              </span>
            </>
          );
          const box = cx(
            "flex min-h-tap items-center gap-3 rounded-8 border p-2",
            step === active ? "border-blue-900 bg-blue-50" : "border-solid-gray-200",
          );
          return (
            <li key={step}>
              {reachable ? (
                <Link
                  to={`/vendor/onboarding/${tenantId}/${step}`}
                  aria-current={step === active ? "step" : undefined}
                  className={cx(box, "text-solid-gray-900 no-underline hover:underline")}
                >
                  {label}
                </Link>
              ) : (
                <span className={cx(box, "text-solid-gray-700")}>{label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/**
 * The top of a step page: the previous step's success (after a redirect), this step's saved state
 * (a failure with its explanation stays visible on reload), and this submission's failure.
 */
export function StepStatus({ step, formError }: { step: OnboardingStep; formError?: string }) {
  const { steps } = useWizard();
  const done = new URLSearchParams(useLocation().search).get("done");
  const previous =
    done && (ONBOARDING_STEPS as readonly string[]).includes(done) ? stepState(steps, done as OnboardingStep) : null;
  const state = stepState(steps, step);
  return (
    <div className="mb-6 flex flex-col gap-4">
      {previous?.status === "done" && !formError ? (
        <Notice variant="success" title={`「${STEP_LABEL[done as OnboardingStep]}」が完了しました`}>
          {previous.message}
        </Notice>
      ) : null}
      {formError ? (
        <Notice variant="error" title="この手順を完了できませんでした">
          {formError}
        </Notice>
      ) : state.status === "failed" ? (
        <Notice variant="warning" role="none" title="前回の実行は失敗しました">
          {state.message}
        </Notice>
      ) : state.status === "done" ? (
        <Notice variant="success" role="none" title="この手順は完了しています">
          {state.message} もう一度実行することもできます。
        </Notice>
      ) : state.message ? (
        <Notice variant="info" role="none">
          {state.message}
        </Notice>
      ) : null}
    </div>
  );
}

export function StepHeading({ step, children }: { step: OnboardingStep; children?: ReactNode }) {
  return (
    <div className="mb-4">
      <h2 className="text-2xl font-bold">
        {ONBOARDING_STEPS.indexOf(step) + 1}. {STEP_LABEL[step]}
      </h2>
      {children ? <div className="mt-2 max-w-3xl">{children}</div> : null}
    </div>
  );
}
