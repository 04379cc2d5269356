import { randomBytes } from "node:crypto";
import { bootstrapDatabase } from "../../db/bootstrap";

/**
 * Vitest global setup: a dedicated test database, dropped, recreated and migrated once per run, and a
 * unique Redis key prefix per run (so parallel runs and the demo never see each other's keys).
 * TEST_DB_NAME lets two checkouts or agents run the suite side by side.
 */
export default async function setup() {
  const dbName = process.env.TEST_DB_NAME ?? "madoguchi_test";
  const ownerUrl = `postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/${dbName}`;
  await bootstrapDatabase({ ownerUrl, superuserUrl: process.env.DATABASE_SUPERUSER_URL }, { recreate: true });
  process.env.NODE_ENV = "test";
  process.env.DATABASE_OWNER_URL = ownerUrl;
  process.env.DATABASE_URL = `postgres://madoguchi_app:madoguchi_app@127.0.0.1:5432/${dbName}`;
  process.env.REDIS_URL = process.env.REDIS_URL_TEST ?? "redis://127.0.0.1:6379/0";
  process.env.REDIS_PREFIX = `mdgtest:${randomBytes(4).toString("hex")}`;
}
