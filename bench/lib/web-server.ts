import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";

/**
 * The production web server (`build/node/web.js`, as `npm start` runs it) for a bench: NODE_ENV
 * production, the bench's database and Redis from the caller's env, and every outside service pointed
 * at a closed port (a bench must never reach one). Optionally under the CPU profiler.
 */
export function spawnProductionWeb(opts: {
  port: number;
  origin: string;
  processes: number;
  dbPool?: number;
  logLevel?: string;
  profileDir?: string;
}): ChildProcess {
  const unused = "http://127.0.0.1:9";
  return spawn(
    process.execPath,
    [...(opts.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${opts.profileDir}`] : []), "build/node/web.js"],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        WEB_CONCURRENCY: String(opts.processes),
        ...(opts.dbPool ? { DATABASE_POOL_MAX: String(opts.dbPool) } : {}),
        PORT: String(opts.port),
        HOST: "127.0.0.1",
        APP_ORIGIN: opts.origin,
        REDIS_URL: "redis://127.0.0.1:6379/0",
        LINE_API_BASE: unused,
        LINE_DATA_API_BASE: unused,
        STRIPE_API_BASE: unused,
        // Generated per run and clearly fake: production refuses the dev placeholders, and a bench
        // never talks to Stripe (its base URL is a closed port).
        STRIPE_SECRET_KEY: `sk_test_bench_${randomBytes(8).toString("hex")}`,
        STRIPE_WEBHOOK_SECRET: `whsec_bench_${randomBytes(8).toString("hex")}`,
        SMTP_URL: "smtp://127.0.0.1:9",
        LOG_LEVEL: opts.logLevel ?? "warn",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
}

/** Waits until GET /healthz answers 200 (20 s at most). */
export async function waitForHealthy(origin: string) {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      /* starting */
    }
    if (i > 200) throw new Error("web did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
}
