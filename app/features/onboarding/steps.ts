import {
  ONBOARDING_STEPS,
  type OnboardingStep,
  type OnboardingStepState,
  type OnboardingSteps,
} from "#db/schema/onboarding-steps";

/**
 * The wizard's steps, in order, and what redoing one invalidates. Pure: shared by the server and
 * the step list shown on every page.
 */
export { ONBOARDING_STEPS, type OnboardingStep, type OnboardingStepState, type OnboardingSteps };

export const STEP_LABEL: Record<OnboardingStep, string> = {
  city: "自治体の情報",
  line: "LINEチャネル",
  webhook: "Webhook",
  liff: "LIFF",
  richmenu: "リッチメニュー",
  billing: "プランと請求",
  admin: "最初の管理者",
  live: "利用開始",
};

export const STATUS_LABEL: Record<OnboardingStepState["status"], string> = {
  pending: "未完了",
  done: "完了",
  failed: "要対応",
};

/**
 * Redoing a step with a different result makes later steps that relied on it stale: new
 * credentials mean the webhook, LIFF app and rich menu were checked on another channel; a new slug
 * changes the LIFF endpoint URL and the rich menu's links; a new LIFF id changes the menu's links.
 */
export const INVALIDATES: Partial<Record<OnboardingStep, OnboardingStep[]>> = {
  city: ["liff", "richmenu"],
  line: ["webhook", "liff", "richmenu"],
  liff: ["richmenu"],
};

export function isStep(v: string | undefined): v is OnboardingStep {
  return !!v && (ONBOARDING_STEPS as readonly string[]).includes(v);
}

export function stepState(steps: OnboardingSteps, step: OnboardingStep): OnboardingStepState {
  return steps[step] ?? { status: "pending" };
}

/** The first step not done: where "resume" goes. "live" when everything before it is done. */
export function currentStepOf(steps: OnboardingSteps): OnboardingStep {
  return ONBOARDING_STEPS.find((s) => stepState(steps, s).status !== "done") ?? "live";
}

/** A step can be opened once every step before it is done (the city step always can). */
export function isReachable(steps: OnboardingSteps, step: OnboardingStep): boolean {
  const index = ONBOARDING_STEPS.indexOf(step);
  return ONBOARDING_STEPS.slice(0, index).every((s) => stepState(steps, s).status === "done");
}

/** "3/8" style position, for the overview. */
export function stepNumber(step: OnboardingStep): number {
  return ONBOARDING_STEPS.indexOf(step) + 1;
}

/** The steps after applying one step's outcome (and resetting what it invalidates when asked). */
export function withStepOutcome(
  steps: OnboardingSteps,
  step: OnboardingStep,
  outcome: { status: "done" | "failed"; message?: string },
  opts: { now: Date; invalidate?: boolean },
): OnboardingSteps {
  const at = opts.now.toISOString();
  const next: OnboardingSteps = {
    ...steps,
    [step]: {
      status: outcome.status,
      ...(outcome.message ? { message: outcome.message } : {}),
      attemptedAt: at,
      // A failed retry drops the time of the last success: the step is not done any more.
      ...(outcome.status === "done" ? { completedAt: at } : {}),
    },
  };
  if (opts.invalidate) {
    for (const later of INVALIDATES[step] ?? []) {
      if (stepState(next, later).status === "pending") continue;
      next[later] = {
        status: "pending",
        message: `「${STEP_LABEL[step]}」を変更したため、もう一度実行してください。`,
        attemptedAt: at,
      };
    }
  }
  return next;
}

/** The LIFF app's endpoint URL a city needs (ADR 009): LINE appends the rich menu's paths to it. */
export const liffEndpointFor = (appOrigin: string, slug: string) => `${appOrigin}/c/${slug}`;
