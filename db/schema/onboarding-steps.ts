// The wizard's step names and per-step state: plain values and types with no drizzle import, so the
// browser bundle (the step list) can use them without pulling in the schema.
export const ONBOARDING_STEPS = ["city", "line", "webhook", "liff", "richmenu", "billing", "admin", "live"] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

export type OnboardingStepState = {
  status: "pending" | "done" | "failed";
  /** Japanese: for a failure, what went wrong and how to fix it; for a success, what was checked. */
  message?: string;
  /** ISO time of the last success. */
  completedAt?: string;
  /** ISO time of the last attempt (success or failure). */
  attemptedAt?: string;
};

export type OnboardingSteps = Partial<Record<OnboardingStep, OnboardingStepState>>;
