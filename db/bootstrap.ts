import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

/**
 * Database bootstrap shared by `npm run db:migrate`, `npm run demo` and the test global setup:
 *  1. roles: `madoguchi_owner` owns the schema and runs migrations; `madoguchi_app` is what web and
 *     worker connect as: it owns nothing and has no BYPASSRLS, so row-level security binds it;
 *  2. the database (created if missing);
 *  3. migrations (drizzle-kit output, one journal), then grants for the app role.
 * Role passwords here are local-development values; production sets its own URLs and roles.
 */
export const OWNER_ROLE = "madoguchi_owner";
export const APP_ROLE = "madoguchi_app";
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

const ROLES_SQL = `
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${OWNER_ROLE}') THEN
    CREATE ROLE ${OWNER_ROLE} LOGIN PASSWORD '${OWNER_ROLE}' CREATEDB;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '${APP_ROLE}' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$;`;

type Urls = { ownerUrl: string; superuserUrl?: string };

function withDb(url: string, dbName: string) {
  const u = new URL(url);
  u.pathname = `/${dbName}`;
  return u.toString();
}

/** Creates the two roles, as a superuser over TCP, or (root on a fresh Debian box) via `su postgres`. */
async function ensureRoles(superuserUrl: string) {
  const su = postgres(superuserUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await su.unsafe(ROLES_SQL);
    return;
  } catch (e) {
    const code = (e as { code?: string }).code;
    // 28P01/28000: password or pg_hba refused us; ECONNREFUSED is a real outage, surface it.
    if (code === "ECONNREFUSED") throw e;
  } finally {
    await su.end({ timeout: 1 });
  }
  if (process.getuid?.() !== 0) throw new Error("cannot create database roles: set DATABASE_SUPERUSER_URL");
  execFileSync("su", ["postgres", "-c", "psql -q -v ON_ERROR_STOP=1 -d postgres"], {
    input: ROLES_SQL,
    stdio: ["pipe", "ignore", "inherit"],
  });
}

async function rolesExist(ownerUrl: string) {
  const probe = postgres(withDb(ownerUrl, "postgres"), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const rows = await probe`select count(*)::int as n from pg_roles where rolname in (${OWNER_ROLE}, ${APP_ROLE})`;
    return rows[0]!.n === 2;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

export async function ensureDatabase({ ownerUrl, superuserUrl }: Urls, opts: { recreate?: boolean } = {}) {
  if (!(await rolesExist(ownerUrl))) await ensureRoles(superuserUrl ?? "postgres://postgres@127.0.0.1:5432/postgres");
  const dbName = new URL(ownerUrl).pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error(`unsafe database name: ${dbName}`);
  const admin = postgres(withDb(ownerUrl, "postgres"), { max: 1, onnotice: () => {} });
  try {
    if (opts.recreate) await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    const exists = await admin`select 1 from pg_database where datname = ${dbName}`;
    if (exists.length === 0) await admin.unsafe(`CREATE DATABASE ${dbName} OWNER ${OWNER_ROLE}`);
  } finally {
    await admin.end({ timeout: 1 });
  }
}

export async function migrateDatabase(ownerUrl: string) {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
    // After every migration: the app role may use every table and sequence, and nothing more.
    await sql.unsafe(`
      GRANT USAGE ON SCHEMA public TO ${APP_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE};
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE};`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export async function bootstrapDatabase(urls: Urls, opts: { recreate?: boolean } = {}) {
  await ensureDatabase(urls, opts);
  await migrateDatabase(urls.ownerUrl);
}
