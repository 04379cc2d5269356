import type { Db } from "#db/client.server";
import type { StaffRole } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { addMembership, createStaffUser } from "~/features/staff/staff.server";
import { createVendorUser } from "~/features/vendor/vendor-users.server";

let seq = 0;

/** A staff account with a membership in one city (created under that city's RLS context). */
export async function makeStaff(
  db: Db,
  input: { tenantId: string; role?: StaffRole; email?: string; password?: string; displayName?: string },
) {
  seq++;
  const password = input.password ?? "correct-horse-battery";
  const user = await createStaffUser(db, {
    email: input.email ?? `staff${seq}-${Date.now().toString(36)}@city.example`,
    displayName: input.displayName ?? `職員${seq}`,
    password,
  });
  const membership = await withTenant(db, input.tenantId, (tx) =>
    addMembership(tx, { tenantId: input.tenantId, staffUserId: user.id, role: input.role ?? "admin" }),
  );
  return { user, membership: membership!, password };
}

export async function makeVendor(db: Db, input: { email?: string; password?: string; displayName?: string } = {}) {
  seq++;
  const password = input.password ?? "vendor-horse-battery";
  const user = await createVendorUser(db, {
    email: input.email ?? `vendor${seq}-${Date.now().toString(36)}@madoguchi.example`,
    displayName: input.displayName ?? `運営${seq}`,
    password,
  });
  return { user, password };
}
