import type { DbOrTx } from "#db/client.server";
import { vendorUsers } from "#db/schema/index";
import { hashPassword } from "~/auth/password.server";

export async function createVendorUser(db: DbOrTx, input: { email: string; displayName: string; password: string }) {
  const [u] = await db
    .insert(vendorUsers)
    .values({
      email: input.email.toLowerCase(),
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
    })
    .returning();
  return u!;
}
