/**
 * `npm run demo`: the whole platform on this machine with two demo cities.
 *   database (created, migrated, seeded when empty) → SMTP capture → LINE emulator (each demo city's
 *   channel registered, webhook → this web app) → worker → web → "READY <url>".
 * Also the Playwright e2e stack (playwright.config.ts sets the DEMO_* variables below).
 *   DEMO_PORT (3000) DEMO_DB_NAME (madoguchi) DEMO_FRESH=1 (drop + reseed) DEMO_MODE dev|prod
 *   DEMO_MAILBOX_DIR (.tmp/mailbox) DEMO_SMTP_PORT (2525) DEMO_LINE_PORT (3100) DEMO_STRIPE_PORT (3200)
 * Ctrl-C (or SIGTERM) stops every process it started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { count, inArray } from "drizzle-orm";
import { Redis } from "ioredis";
import { bootstrapDatabase } from "../db/bootstrap";
import { createDb } from "../db/client.server";
import { tenants, vendorUsers } from "../db/schema/index";
import { DEMO_LINE_CHANNELS, DEMO_VENDOR_TOTP_SECRET, seedDemo } from "../db/seed";
import { startLineEmulator, type LineEmulator } from "../emulators/line/server";
import { startStripeFake, type StripeFake } from "../emulators/stripe/server";
import { DEMO_STRIPE_SECRET_KEY, DEMO_STRIPE_WEBHOOK_SECRET, provisionDemoBilling } from "./demo-billing";
import { startSmtpCapture } from "../tests/fakes/smtp-capture";

const port = Number(process.env.DEMO_PORT ?? 3000);
const dbName = process.env.DEMO_DB_NAME ?? "madoguchi";
const mode = process.env.DEMO_MODE === "prod" ? "prod" : "dev";
const mailboxDir = process.env.DEMO_MAILBOX_DIR ?? ".tmp/mailbox";
const smtpPort = Number(process.env.DEMO_SMTP_PORT ?? 2525);
const linePort = Number(process.env.DEMO_LINE_PORT ?? 3100);
const stripePort = Number(process.env.DEMO_STRIPE_PORT ?? 3200);
const origin = `http://127.0.0.1:${port}`;
const ownerUrl = `postgres://madoguchi_owner:madoguchi_owner@127.0.0.1:5432/${dbName}`;
const appUrl = `postgres://madoguchi_app:madoguchi_app@127.0.0.1:5432/${dbName}`;

const children: ChildProcess[] = [];
let smtp: { close(): Promise<void> } | undefined;
let line: LineEmulator | undefined;
let stripeFake: StripeFake | undefined;
let stopping = false;

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  await smtp?.close();
  await line?.close();
  await stripeFake?.close();
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

function run(name: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (line: string) => `[${name}] ${line}`;
  for (const stream of [child.stdout!, child.stderr!]) {
    let buf = "";
    stream.on("data", (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split("\n");
      buf = lines.pop()!;
      for (const l of lines) if (l.trim()) console.log(prefix(l));
    });
  }
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(prefix(`exited with code ${code}; stopping the demo`));
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

/** A fresh demo also forgets its old queues and login counters (they refer to the dropped data). */
async function clearRedisPrefix(url: string, prefix: string) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

async function waitForHealth(url: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`web did not become healthy at ${url}`);
}

const fresh = process.env.DEMO_FRESH === "1";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0";
const redisPrefix = process.env.REDIS_PREFIX ?? `madoguchi-demo-${dbName}`;
await bootstrapDatabase({ ownerUrl, superuserUrl: process.env.DATABASE_SUPERUSER_URL }, { recreate: fresh });
if (fresh) await clearRedisPrefix(redisUrl, redisPrefix);
const { db, sql } = createDb(appUrl, 2);
const [{ n }] = (await db.select({ n: count() }).from(vendorUsers)) as [{ n: number }];
const seeded = n === 0 ? await seedDemo(db) : null;
const demoTenants = await db
  .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, population: tenants.population })
  .from(tenants)
  .where(inArray(tenants.slug, Object.keys(DEMO_LINE_CHANNELS)));
await sql.end();

mkdirSync(mailboxDir, { recursive: true });
smtp = await startSmtpCapture({ port: smtpPort, dir: mailboxDir });

// The LINE platform, emulated in this process (ADR 008): the app reaches it only through the base
// URLs below. Its state is in memory, so every start registers the demo channels again.
line = await startLineEmulator({ port: linePort });
for (const t of demoTenants) {
  const c = DEMO_LINE_CHANNELS[t.slug as keyof typeof DEMO_LINE_CHANNELS];
  const { topics: _topics, ...credentials } = c;
  const res = await fetch(`${line.url}/__emulator/channels`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      ...credentials,
      // Only the emulator needs the LINE Login secret (it signs the simulator's ID tokens; the app
      // verifies them at the emulator's endpoint), so the seed may leave it out.
      loginChannelSecret: "loginChannelSecret" in c ? c.loginChannelSecret : `demo-${t.slug}-login-secret-not-real`,
      displayName: t.name,
      webhookUrl: `${origin}/webhooks/line/${t.id}`,
    }),
  });
  if (!res.ok) throw new Error(`LINE emulator refused the ${t.slug} channel: ${res.status} ${await res.text()}`);
}

// Stripe, faked in this process too (emulators/stripe/): signed webhooks go to the app's /webhooks/stripe.
stripeFake = await startStripeFake({
  port: stripePort,
  webhookUrl: `${origin}/webhooks/stripe`,
  webhookSecret: DEMO_STRIPE_WEBHOOK_SECRET,
});
// A spare LINE channel that no city uses yet, so the vendor's onboarding wizard can be tried by hand
// (its LIFF app opens /c/sample-demo: use that URL name in the wizard's first step). The LIFF step
// needs the LINE Login channel's secret too: LINE's LIFF server API takes only that channel's token.
const SPARE_CHANNEL = {
  channelId: "2000000009",
  channelSecret: "demo-spare-secret-not-real",
  channelAccessToken: "demo-spare-token-not-real",
  loginChannelId: "2000000109",
  loginChannelSecret: "demo-spare-login-secret-not-real",
  liffId: "2000000109-sample",
  liffEndpointUrl: `${origin}/c/sample-demo`,
  displayName: "サンプルデモ市",
};
{
  const res = await fetch(`${line.url}/__emulator/channels`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(SPARE_CHANNEL),
  });
  if (!res.ok) throw new Error(`LINE emulator refused the spare channel: ${res.status} ${await res.text()}`);
}

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: mode === "prod" ? "production" : "development",
  DATABASE_URL: appUrl,
  REDIS_URL: redisUrl,
  REDIS_PREFIX: redisPrefix,
  APP_ORIGIN: origin,
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  LINE_API_BASE: line.url,
  LINE_DATA_API_BASE: line.url,
  STRIPE_API_BASE: stripeFake.url,
  STRIPE_SECRET_KEY: DEMO_STRIPE_SECRET_KEY,
  STRIPE_WEBHOOK_SECRET: DEMO_STRIPE_WEBHOOK_SECRET,
  MAILBOX_DIR: mailboxDir,
  DEV_TOOLS: "1",
  PORT: String(port),
  HOST: "127.0.0.1",
};
if (mode === "prod") {
  // Production bundles, but with the demo's public development key and dev tools: say so.
  env.NODE_ENV = "development";
  if (!existsSync("build/server/index.js")) throw new Error("DEMO_MODE=prod needs `npm run build` first");
  run("worker", ["build/node/worker.js"], env);
  run("web", ["build/node/web.js"], env);
} else {
  run("worker", ["node_modules/tsx/dist/cli.mjs", "jobs/worker.ts"], env);
  run(
    "web",
    ["node_modules/@react-router/dev/bin.js", "dev", "--host", "127.0.0.1", "--port", String(port), "--strictPort"],
    env,
  );
}

await waitForHealth(`${origin}/healthz`);
// After the web app is up, so the subscriptions' webhooks reach it.
const billingLines = await provisionDemoBilling({ appUrl, stripeUrl: stripeFake.url, tenants: demoTenants });
console.log(`\n窓口 Madoguchi demo is running (${mode}).`);
console.log(`  resident pages:  ${origin}/c/kinokawa-demo   ${origin}/c/minato-demo`);
console.log(`  city admin:      ${origin}/c/kinokawa-demo/admin`);
console.log(
  `  vendor console:  ${origin}/vendor   (two-factor demo key ${DEMO_VENDOR_TOTP_SECRET}: add it to an authenticator app)`,
);
console.log(`  mailbox:         ${origin}/dev/mail`);
console.log(`  LINE simulator:  ${origin}/dev/line   (LINE emulator ${line.url})`);
console.log(
  "                   「Alex（English）」 chose English: his booking's confirmation and reminder arrive in English",
  `  FAQ:             ${origin}/c/kinokawa-demo/faq   (in /dev/line try 「マイナカード 受取」「マイナンバーカード」; staff: …/admin/faq)`,
);
console.log(
  `  reports (通報):   in /dev/line send 「通報」 (photo, location, description) or 「通報の状況」; staff: ${origin}/c/kinokawa-demo/admin/reports; Open311: /c/kinokawa-demo/open311/v2/services.json`,
  `  shelters:        ${origin}/c/kinokawa-demo/shelters   (15 seeded, all 未開設: open some at …/admin/shelters/status, then in /dev/line tap 避難所 or send a location; 災害モード and 安否確認 at …/admin/shelters, many cities at /vendor/disaster)`,
  `  申請状況:        ${origin}/c/kinokawa-demo/status   (申請番号 20260001 / 昭和35年1月1日, 20260003 / 昭和42年8月30日; in /dev/line send 「申請状況」; staff: …/admin/status)`,
);
console.log(`  billing:         ${origin}/vendor/billing   (Stripe fake ${stripeFake.url}, control API /__fake/*)`);
for (const l of billingLines) console.log(`    ${l}`);
console.log(
  `  onboarding:      ${origin}/vendor/onboarding/new — spare LINE channel for the wizard: URL name sample-demo,`,
);
console.log(
  `                   channel ${SPARE_CHANNEL.channelId}, secret ${SPARE_CHANNEL.channelSecret}, token ${SPARE_CHANNEL.channelAccessToken},`,
);
console.log(
  `                   LINE Login channel ${SPARE_CHANNEL.loginChannelId}, its secret ${SPARE_CHANNEL.loginChannelSecret}, LIFF ID ${SPARE_CHANNEL.liffId}`,
);
if (seeded) {
  console.log("\n  demo accounts (public demo passwords):");
  for (const a of seeded.accounts)
    console.log(`    ${a.role.padEnd(8)} ${a.email.padEnd(34)} ${a.password}   ${a.where}`);
  console.log("\n  demo ticket holders (fictional; the same numbers in both cities) — reserve at /c/<city>/reserve:");
  const seen = new Set<string>();
  for (const h of seeded.holders) {
    if (seen.has(h.ticketNumber)) continue;
    seen.add(h.ticketNumber);
    console.log(`    ${h.ticketNumber}  born ${h.birthDate}  ${h.note}`);
  }
} else {
  console.log("\n  (existing demo data kept; DEMO_FRESH=1 npm run demo recreates it and prints the accounts)");
}
console.log(`READY ${origin}`);
