export type StaffRole = "admin" | "operator" | "analyst";

const labels: Record<StaffRole, string> = {
  admin: "管理者",
  operator: "オペレーター",
  analyst: "分析担当",
};

/**
 * The Japanese name of a city-staff role. Takes any string because roles arrive from the database
 * and session as plain text; an unknown role is shown as it is rather than hidden behind a generic
 * word, so a missing label is noticed and added here.
 */
export function roleLabel(role: StaffRole | (string & {})): string {
  return Object.hasOwn(labels, role) ? labels[role as StaffRole] : role;
}
