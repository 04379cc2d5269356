#!/usr/bin/env node
// Prints the one closing line CI reads, `N passed, N failed`, from the JSON reports of Vitest and
// Playwright, and exits 1 if anything failed. Plain Node, no dependencies. Used by scripts/test-all.sh:
//
//   node scripts/summarise-tests.mjs --vitest test-results.json --vitest-exit 0 \
//                                    --playwright playwright-results.json --playwright-exit 1
//
// A runner that is not named is not counted (SKIP_E2E=1 leaves Playwright out).
//
// Counting rules:
// - Vitest: passed = numPassedTests. failed = numFailedTests + every test file marked failed that
//   has no failed test in it: a failing beforeAll/afterAll (its tests are reported as "skipped",
//   numFailedTests stays 0) or a file that threw while loading. numFailedTestSuites is deliberately
//   not added as is: it also counts every file and describe block that failed only because a test in
//   it failed, so one failing test would be counted three times. If numFailedTestSuites > 0 and the
//   rule above found nothing, 1 failure is counted.
// - Playwright: passed = stats.expected. failed = stats.unexpected + stats.flaky (a flaky test is
//   a failure here) + the number of top-level errors (web server did not start, global setup threw,
//   a spec file failed to load, …). Skipped tests are reported but count as neither.
// - A runner whose report is missing or unreadable (it crashed, or was never started because the
//   build failed) counts as 1 failed.
// - A runner that exited non-zero although its report shows no failure (e.g. Vitest's unhandled
//   errors, which leave `success: true` in the JSON) counts as 1 failed.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const int = (v) => (Number.isFinite(v) ? v : 0);

/** @param {any} report parsed Vitest JSON, or null when there is none */
export function countVitest(report, exitCode = 0) {
  if (!report || typeof report !== "object") {
    return { passed: 0, failed: 1, skipped: 0, notes: ["no JSON report: the runner crashed or never ran"] };
  }
  const notes = [];
  const passed = int(report.numPassedTests);
  let failed = int(report.numFailedTests);
  const skipped = int(report.numPendingTests) + int(report.numTodoTests);
  let brokenFiles = 0;
  for (const file of report.testResults ?? []) {
    const assertions = file.assertionResults ?? [];
    if (file.status === "failed" && !assertions.some((a) => a.status === "failed")) {
      brokenFiles++;
      const first = String(file.message || "a beforeAll/afterAll hook or the file itself failed").split("\n")[0];
      notes.push(`failed outside a test: ${file.name}: ${first}`);
    }
  }
  failed += brokenFiles;
  if (failed === 0 && int(report.numFailedTestSuites) > 0) {
    failed = 1;
    notes.push(`${report.numFailedTestSuites} failed suite(s) without a failed test`);
  }
  if (failed === 0 && report.success === false) {
    failed = 1;
    notes.push("report says success: false");
  }
  if (failed === 0 && exitCode !== 0) {
    failed = 1;
    notes.push(`exited with code ${exitCode} although no test failed (unhandled error?)`);
  }
  return { passed, failed, skipped, notes };
}

/** @param {any} report parsed Playwright JSON, or null when there is none */
export function countPlaywright(report, exitCode = 0) {
  if (!report || typeof report !== "object" || !report.stats) {
    return { passed: 0, failed: 1, skipped: 0, notes: ["no JSON report: the runner crashed or never ran"] };
  }
  const notes = [];
  const { expected, unexpected, flaky, skipped } = report.stats;
  const errors = Array.isArray(report.errors) ? report.errors : [];
  for (const e of errors) notes.push(`error: ${String(e?.message ?? e).split("\n")[0]}`);
  if (int(flaky) > 0) notes.push(`${flaky} flaky test(s) counted as failed`);
  let failed = int(unexpected) + int(flaky) + errors.length;
  if (failed === 0 && exitCode !== 0) {
    failed = 1;
    notes.push(`exited with code ${exitCode} although no test failed`);
  }
  return { passed: int(expected), failed, skipped: int(skipped), notes };
}

function readReport(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

/**
 * @param {{ vitest?: { report: any, exitCode: number }, playwright?: { report: any, exitCode: number } }} runs
 * @returns {{ passed: number, failed: number, lines: string[] }} lines: detail lines, then the closing line
 */
export function summarise(runs) {
  const lines = [];
  let passed = 0;
  let failed = 0;
  for (const [name, count] of [
    ["vitest", countVitest],
    ["playwright", countPlaywright],
  ]) {
    const run = runs[name];
    if (!run) continue;
    const r = count(run.report, run.exitCode ?? 0);
    passed += r.passed;
    failed += r.failed;
    lines.push(`${name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
    for (const note of r.notes) lines.push(`  ${name}: ${note}`);
  }
  if (lines.length === 0) {
    failed = 1;
    lines.push("no test runner was given");
  }
  lines.push(`${passed} passed, ${failed} failed`);
  return { passed, failed, lines };
}

function parseArgs(argv) {
  const runs = {};
  for (let i = 0; i < argv.length; i += 2) {
    const m = /^--(vitest|playwright)(-exit)?$/.exec(argv[i] ?? "");
    const value = argv[i + 1];
    if (!m || value === undefined)
      throw new Error(
        `usage: summarise-tests.mjs [--vitest FILE --vitest-exit N] [--playwright FILE --playwright-exit N] (bad argument: ${argv[i]})`,
      );
    const run = (runs[m[1]] ??= { file: null, exitCode: 0 });
    if (m[2]) run.exitCode = Number(value) || 0;
    else run.file = value;
  }
  const out = {};
  for (const [name, run] of Object.entries(runs)) {
    out[name] = { report: run.file ? readReport(run.file) : null, exitCode: run.exitCode };
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let result;
  try {
    result = summarise(parseArgs(process.argv.slice(2)));
  } catch (e) {
    console.error(String(e?.message ?? e));
    result = { failed: 1, lines: ["0 passed, 1 failed"] };
  }
  for (const line of result.lines) console.log(line);
  process.exitCode = result.failed > 0 ? 1 : 0;
}
