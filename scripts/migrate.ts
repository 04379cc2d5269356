// `npm run db:migrate`: create roles and database if missing, then apply migrations.
import { bootstrapDatabase } from "../db/bootstrap";

const ownerUrl =
  process.env.DATABASE_OWNER_URL ?? "postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/madoguchi";
await bootstrapDatabase({ ownerUrl, superuserUrl: process.env.DATABASE_SUPERUSER_URL });
console.log(`migrated ${new URL(ownerUrl).pathname.slice(1)}`);
