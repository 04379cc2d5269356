import { and, asc, count, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { memberships, staffUsers, type StaffRole } from "#db/schema/index";
import { hashPassword } from "~/auth/password.server";

export async function findStaffUserByEmail(db: DbOrTx, email: string) {
  const [u] = await db.select().from(staffUsers).where(eq(staffUsers.email, email.toLowerCase()));
  return u ?? null;
}

export async function createStaffUser(db: DbOrTx, input: { email: string; displayName: string; password: string }) {
  const [u] = await db
    .insert(staffUsers)
    .values({
      email: input.email.toLowerCase(),
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
    })
    .returning();
  return u!;
}

/** Must run inside withTenant(tenantId): RLS refuses a membership row for any other city. */
export async function addMembership(tx: DbOrTx, input: { tenantId: string; staffUserId: string; role: StaffRole }) {
  const [m] = await tx.insert(memberships).values(input).onConflictDoNothing().returning();
  return m ?? null;
}

export async function findMembership(tx: DbOrTx, tenantId: string, staffUserId: string) {
  const [m] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.staffUserId, staffUserId)));
  return m ?? null;
}

/** The city's staff list (inside withTenant). */
export async function listStaff(tx: DbOrTx, tenantId: string) {
  return tx
    .select({
      membershipId: memberships.id,
      role: memberships.role,
      since: memberships.createdAt,
      staffUserId: staffUsers.id,
      email: staffUsers.email,
      displayName: staffUsers.displayName,
    })
    .from(memberships)
    .innerJoin(staffUsers, eq(staffUsers.id, memberships.staffUserId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(memberships.createdAt));
}

/** How many admins the city has: the vendor's city page offers 「最初の管理者を招待」 only at 0. */
export async function countAdmins(db: Db, tenantId: string): Promise<number> {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ n: count() })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "admin"))),
  );
  return row?.n ?? 0;
}
