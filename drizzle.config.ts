import { defineConfig } from "drizzle-kit";

// Migrations run as the owner role (DATABASE_OWNER_URL); the app itself connects as a role that
// owns nothing (DATABASE_URL), so RLS applies to it.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  casing: "snake_case",
  dbCredentials: {
    url: process.env.DATABASE_OWNER_URL ?? "postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/madoguchi",
  },
});
