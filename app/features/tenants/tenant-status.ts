import type { TenantStatus } from "#db/schema/tenants";

export const STATUS_LABEL: Record<TenantStatus, string> = {
  onboarding: "準備中",
  active: "利用中",
  suspended: "停止中",
};
