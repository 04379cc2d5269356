import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The line between features and jobs (ADR 030, issue 14.6): processors in jobs/ are adapters that
 * call features; features produce jobs only through the job contract — the catalogue (a leaf: zod
 * and nothing of the app) and the queue producer — never through a processor, the worker or the
 * schedules. So features and jobs never import each other's insides, and no cycle can form.
 */
const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]!);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe("the job contract", () => {
  it("the catalogue imports nothing of the app", () => {
    expect(importsOf("jobs/catalogue.ts")).toEqual(["zod"]);
  });

  it("the queue producer imports only the catalogue and its libraries", () => {
    expect(importsOf("jobs/queues.server.ts").sort()).toEqual(["./catalogue", "bullmq", "ioredis"]);
  });

  it("app code imports from jobs/ only the catalogue and the queue producer", () => {
    const allowed = new Set(["#jobs/catalogue", "#jobs/queues.server"]);
    const offenders = ["app", "db", "emails"]
      .flatMap(sources)
      .flatMap((file) => importsOf(file).map((spec) => ({ file, spec })))
      .filter(({ spec }) => (spec.startsWith("#jobs/") || /(^|\/)jobs\//.test(spec)) && !allowed.has(spec));
    expect(offenders).toEqual([]);
  });
});
