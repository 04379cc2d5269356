import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";

/**
 * A throwaway PostgreSQL cluster for a test that must stop and start the database (ADR 029): initdb
 * into a temp directory with Debian's binaries (/usr/lib/postgresql/<newest>/bin), trust auth, on a
 * free port, its socket in the same directory. It is never the shared server on 5432: every pg_ctl
 * call names this cluster's own data directory. PostgreSQL refuses to run as root, so as root the
 * binaries run as the `postgres` user (spawn's uid/gid), which owns the directory.
 */
export type PrivatePostgres = {
  port: number;
  /** A connection URL for `user` (trust auth: any password) and database `db`. */
  url(user: string, db: string, password?: string): string;
  stop(mode?: "fast" | "immediate"): void;
  start(): void;
  /** Stops the server and deletes the directory. */
  destroy(): void;
};

export async function freePort() {
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function binDir() {
  const root = "/usr/lib/postgresql";
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error(`no PostgreSQL binaries under ${root}`);
  return path.join(root, versions[0], "bin");
}

function runAs() {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  return { uid, gid };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const as = runAs();
  const dir = mkdtempSync(path.join(tmpdir(), "mdg-pg-"));
  if (as.uid !== undefined) chownSync(dir, as.uid, as.gid!);
  const data = path.join(dir, "data");
  const port = await freePort();
  const run = (tool: string, args: string[]) => {
    const r = spawnSync(path.join(bin, tool), args, { ...as, cwd: dir, encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr || r.stdout || r.error?.message}`);
  };
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--locale=C"]);
  // Test data only: no fsync; a small cluster that starts in a second.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60`;
  const start = () =>
    run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "-t", "60", "start"]);
  start();
  const url = (user: string, db: string, password = user) => `postgres://${user}:${password}@127.0.0.1:${port}/${db}`;
  let destroyed = false;
  return {
    port,
    url,
    stop: (mode = "fast") => run("pg_ctl", ["-D", data, "-m", mode, "-w", "-t", "60", "stop"]),
    start,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      spawnSync(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], { ...as, cwd: dir });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the cluster answers a query (after start()). */
export async function waitForPostgres(url: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 2 });
    try {
      await sql`select 1`;
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
}
