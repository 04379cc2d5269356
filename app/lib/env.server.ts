import { z } from "zod";

/**
 * Configuration, validated once at boot of web and worker. In production every variable must be set;
 * in development and tests the defaults below (all local, all clearly fake) apply, so the demo and the
 * tests need no manual setup. A malformed value always stops boot with one line naming the variable.
 */
const DEV_DEFAULTS: Record<string, string> = {
  DATABASE_URL: "postgres://madoguchi_app:madoguchi_app@127.0.0.1:5432/madoguchi",
  REDIS_URL: "redis://127.0.0.1:6379/0",
  // "dev-only-master-key-do-not-use!!" — 32 bytes, public on purpose, never valid in production.
  MADOGUCHI_MASTER_KEY: "ZGV2LW9ubHktbWFzdGVyLWtleS1kby1ub3QtdXNlISE=",
  APP_ORIGIN: "http://localhost:3000",
  LINE_API_BASE: "http://127.0.0.1:3100",
  // The emulator serves both LINE hosts (api.line.me and api-data.line.me) on one port.
  LINE_DATA_API_BASE: "http://127.0.0.1:3100",
  STRIPE_API_BASE: "http://127.0.0.1:3200",
  // The Stripe fake accepts any sk_test_ key; these two are public placeholders, never real.
  STRIPE_SECRET_KEY: "sk_test_madoguchi_dev_only",
  STRIPE_WEBHOOK_SECRET: "whsec_madoguchi_dev_only",
  SMTP_URL: "smtp://127.0.0.1:2525",
};

const base64Key = z.string().refine((v) => {
  try {
    return Buffer.from(v, "base64").length === 32;
  } catch {
    return false;
  }
}, "must be 32 bytes, base64-encoded (openssl rand -base64 32)");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  /** Prefix for every Redis key (BullMQ queues, rate limits): isolates test runs and deployments. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]+$/)
    .default("madoguchi"),
  MADOGUCHI_MASTER_KEY: base64Key,
  APP_ORIGIN: z.url({ protocol: /^https?$/ }).transform((v) => new URL(v).origin),
  LINE_API_BASE: z.url({ protocol: /^https?$/ }),
  /** api-data.line.me: rich-menu image upload (ADR 008). */
  LINE_DATA_API_BASE: z.url({ protocol: /^https?$/ }),
  STRIPE_API_BASE: z.url({ protocol: /^https?$/ }),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\S+$/, "must be a Stripe secret or restricted key (sk_… / rk_…)"),
  /** The webhook endpoint's signing secret (whsec_…): /webhooks/stripe verifies every event with it. */
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\S+$/, "must be a webhook signing secret (whsec_…)"),
  /** Days after an unpaid invoice's due date before the vendor may suspend the city (ADR billing). */
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }),
  MAIL_FROM: z.string().default("窓口 Madoguchi <no-reply@madoguchi.example>"),
  /** Enables /dev/mail (and later /dev/line); never on in production. */
  DEV_TOOLS: z.enum(["0", "1"]).default("0"),
  /** Where the embedded SMTP capture server keeps messages for /dev/mail. */
  MAILBOX_DIR: z.string().default(".tmp/mailbox"),
  /**
   * Broadcast multicasts per second per LINE channel, spread evenly across all workers (LINE allows
   * 200/s for multicast; the default keeps a margin for other multicasts of the same channel).
   */
  LINE_MULTICAST_PER_SECOND: z.coerce.number().positive().max(2000).default(180),
  /** Broadcast chunk jobs in flight per worker process (each waits for its paced slot). */
  BROADCAST_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  /** BullMQ job lock: a crashed worker's active jobs are taken over after about this long (and at most twice it). */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /**
   * Days to keep LINE webhook events and delivery keys before the daily purge. At least 7: LINE
   * redelivers an event within a much shorter window, and the stored id is what dedupes it.
   */
  RETENTION_DAYS: z.coerce.number().int().min(7, "must be at least 7 (LINE redelivery dedupe)").max(3650).default(90),
  /** The worker's /healthz port (Redis, PostgreSQL, queue counts); 0 turns it off. */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(3901),
  /**
   * /metrics (Prometheus, ADR 037): the web tier serves it on this port, never on the public one;
   * 0 (the default) turns it off. The worker serves it on WORKER_HEALTH_PORT.
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** The bearer token every /metrics scrape must send; unset, /metrics is off everywhere. */
  METRICS_TOKEN: z.string().min(32, "must be at least 32 characters (openssl rand -hex 32)").optional(),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const production = source.NODE_ENV === "production";
  const input: Record<string, string | undefined> = { ...source };
  if (!production) for (const [k, v] of Object.entries(DEV_DEFAULTS)) if (!input[k]) input[k] = v;
  const result = envSchema.safeParse(input);
  if (result.success) {
    if (production && result.data.MADOGUCHI_MASTER_KEY === DEV_DEFAULTS.MADOGUCHI_MASTER_KEY) {
      throw new EnvError("MADOGUCHI_MASTER_KEY: the public development key cannot be used in production");
    }
    for (const name of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"] as const) {
      if (production && result.data[name] === DEV_DEFAULTS[name])
        throw new EnvError(`${name}: the public development placeholder cannot be used in production`);
    }
    if (production && result.data.DEV_TOOLS === "1") throw new EnvError("DEV_TOOLS: must be 0 in production");
    if (result.data.METRICS_PORT && !result.data.METRICS_TOKEN)
      throw new EnvError("METRICS_TOKEN: is required when METRICS_PORT is set (/metrics is never open)");
    return result.data;
  }
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "env");
  const missing = input[name] === undefined;
  throw new EnvError(`${name}: ${missing ? "is required but not set" : issue.message}`);
}

let cached: Env | undefined;
/** The process's env, parsed on first use; a bad env exits the process with one clear line. */
export function env(): Env {
  if (cached) return cached;
  try {
    cached = parseEnv(process.env);
  } catch (e) {
    if (e instanceof EnvError) {
      // The logger's own settings come from this env, so a bad env is printed as one plain line.
      // eslint-disable-next-line no-console
      console.error(`[madoguchi] invalid configuration: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  return cached;
}
