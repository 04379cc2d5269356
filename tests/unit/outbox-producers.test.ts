import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogue, isJobName, type JobName } from "#jobs/catalogue";

/**
 * Every producer of background work uses a job name from the one catalogue with a payload its
 * schema accepts, and payloads hold ids (plus a few enumerated values) only. The source scan makes
 * a new producer that bypasses `writeOutbox` show up here until it is checked too.
 */
const ROOT = join(import.meta.dirname, "../..");
const SOURCE_DIRS = ["app", "jobs", "server", "db", "emails"];

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name === "migrations" ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const files = SOURCE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d))).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, "utf8"),
}));

// Raw-SQL producers (one-statement hot paths) allowed to write outbox rows without writeOutbox.
const RAW_SQL_PRODUCERS = ["app/features/reservations/booking-tx.server.ts", "app/features/line/webhook.server.ts"];

/** A valid payload per job: a new job must add one here, which puts it under the checks below. */
const id = () => crypto.randomUUID();
const SAMPLES: Record<JobName, () => Record<string, unknown>> = {
  "send-staff-invitation": () => ({ tenantId: id(), invitationId: id() }),
  "send-password-reset": () => ({ tenantId: id(), resetId: id() }),
  "send-password-changed": () => ({ kind: "vendor", userId: id(), noticeId: id() }),
  "send-reservation-link": () => ({ tenantId: id(), linkId: id() }),
  "send-login-alert": () => ({ kind: "vendor", userId: id(), noticeId: id() }),
  "send-vendor-invitation": () => ({ invitationId: id() }),
  "send-reservation-notice": () => ({ tenantId: id(), reservationId: id(), kind: "confirmed", noticeId: id() }),
  "process-line-event": () => ({ tenantId: id(), eventId: id() }),
  "snapshot-friend-counts": () => ({ day: "2026-04-01" }),
  "snapshot-tenant-friend-counts": () => ({ tenantId: id(), day: "2026-04-01" }),
  "purge-retention": () => ({}),
  "purge-conversation": () => ({}),
  "sweep-reminders": () => ({ at: "2026-04-01T10:00:00+09:00" }),
  "send-reminder": () => ({ tenantId: id(), reminderId: id() }),
  "start-broadcast-run": () => ({ tenantId: id(), runId: id() }),
  "send-broadcast-chunk": () => ({ tenantId: id(), runId: id(), seq: 3 }),
  "sweep-broadcasts": () => ({}),
  "roster-import": () => ({ tenantId: id(), importId: id() }),
  "status-import": () => ({ tenantId: id(), importId: id() }),
  "send-status-notice": () => ({ tenantId: id(), changeId: id() }),
  "purge-status-lookups": () => ({}),
  "sweep-garbage-push": () => ({ at: "2026-04-01T18:00:00+09:00" }),
  "send-garbage-push-chunk": () => ({ tenantId: id(), runId: id(), seq: 0 }),
  "send-report-status": () => ({ tenantId: id(), eventId: id() }),
};
/** Payload fields that are not ids: an enumeration, a calendar date, an instant or a chunk number — never free text. */
const NON_ID_FIELDS = new Set(["kind", "day", "at", "seq"]);

describe("job catalogue", () => {
  it("has a sample for every job, each accepted by its schema", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(catalogue).sort());
    for (const [name, sample] of Object.entries(SAMPLES))
      expect(catalogue[name as JobName].payload.safeParse(sample()).success, name).toBe(true);
  });

  it("refuses personal data added to any payload (schemas are strict)", () => {
    for (const [name, sample] of Object.entries(SAMPLES)) {
      for (const extra of [
        { email: "hanako@example.jp" },
        { name: "山田 花子" },
        { phone: "09012345678" },
        { channelAccessToken: "secret" },
      ]) {
        expect(
          catalogue[name as JobName].payload.safeParse({ ...sample(), ...extra }).success,
          `${name} + ${Object.keys(extra)[0]}`,
        ).toBe(false);
      }
    }
  });

  it("carries ids only: every field is an id, or an enumerated kind or a date", () => {
    for (const [name, def] of Object.entries(catalogue)) {
      for (const field of Object.keys((def.payload as unknown as { shape: Record<string, unknown> }).shape)) {
        expect(field.endsWith("Id") || NON_ID_FIELDS.has(field), `${name}.${field}`).toBe(true);
      }
      // A free-text value in a non-id field is refused.
      const sample = SAMPLES[name as JobName]();
      for (const field of Object.keys(sample).filter((f) => NON_ID_FIELDS.has(f))) {
        expect(
          def.payload.safeParse({ ...sample, [field]: "山田 花子 hanako@example.jp" }).success,
          `${name}.${field} free text`,
        ).toBe(false);
      }
    }
  });
});

describe("producers", () => {
  it("writeOutbox is always called with a literal catalogue job name", () => {
    const calls = files.flatMap((f) =>
      [...f.text.matchAll(/writeOutbox\(([^;]*?)\)/gs)].map((m) => ({ path: f.path, args: m[1]! })),
    );
    const real = calls.filter((c) => !c.args.includes("jobName: N"));
    expect(real.length).toBeGreaterThan(0);
    for (const c of real) {
      const name = /^\s*\w+\s*,\s*[^,]+,\s*"([^"]+)"/.exec(c.args)?.[1];
      expect(name, `${c.path}: writeOutbox(${c.args.slice(0, 60)}…) has no literal job name`).toBeTruthy();
      expect(isJobName(name!), `${c.path}: ${name} is not in the catalogue`).toBe(true);
    }
  });

  it("writePlatformOutbox (rows of no city, ADR 022/023) is called with literal catalogue jobs whose payloads need no tenantId", () => {
    const all = files.flatMap((f) =>
      [...f.text.matchAll(/writePlatformOutbox(<[^>]*>)?\(\s*\w+\s*,\s*("([^"]+)")?/g)].map((m) => ({
        path: f.path,
        generic: !!m[1],
        name: m[3],
      })),
    );
    const calls = all.filter((c) => !c.generic);
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      expect(c.name, `${c.path}: writePlatformOutbox without a literal job name`).toBeTruthy();
      expect(isJobName(c.name!), `${c.path}: ${c.name}`).toBe(true);
      // The job must be valid without a city (some, like the password mails, also serve city staff).
      const { tenantId: _city, ...platform } = SAMPLES[c.name as JobName]();
      expect(
        catalogue[c.name as JobName].payload.safeParse(platform).success,
        `${c.path}: ${c.name} needs a tenantId`,
      ).toBe(true);
    }
  });

  it("only the known raw-SQL producers insert into the outbox directly, with catalogue names", () => {
    const raw = files.filter((f) => /insert\s+into\s+outbox/i.test(f.text)).map((f) => f.path);
    expect(raw.sort()).toEqual([...RAW_SQL_PRODUCERS].sort());
    const drizzleInserts = files.filter((f) => /\.insert\(outbox\)/.test(f.text)).map((f) => f.path);
    expect(drizzleInserts).toEqual(["app/features/outbox/outbox.server.ts"]);

    const webhook = files.find((f) => f.path === "app/features/line/webhook.server.ts")!.text;
    const [, name, keys] = /insert into outbox[^]*?'([a-z-]+)',\s*jsonb_build_object\(([^)]*)\)/i.exec(webhook) ?? [];
    expect(isJobName(name!)).toBe(true);
    const fields = [...keys!.matchAll(/'(\w+)'/g)].map((m) => m[1]);
    expect(fields.sort()).toEqual(Object.keys(SAMPLES[name as JobName]()).sort());

    const namedByCallers = files.flatMap((f) => [...f.text.matchAll(/jobName:\s*"([^"]+)"/g)].map((m) => m[1]!));
    expect(namedByCallers.length).toBeGreaterThan(0);
    for (const n of namedByCallers) expect(isJobName(n), n).toBe(true);
  });
});
