import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// scripts/summarise-tests.mjs prints the closing line CI reads. It is exercised as CI runs it: a
// child process reading JSON report files. The reports below are trimmed copies of what Vitest 4.1
// and Playwright 1.65 actually wrote for each situation (only the fields the script reads).

const SCRIPT = fileURLToPath(new URL("../../scripts/summarise-tests.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "summarise-tests-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function reportFile(report: unknown): string {
  const file = join(dir, `report-${++n}.json`);
  writeFileSync(file, typeof report === "string" ? report : JSON.stringify(report));
  return file;
}

function summarise(args: string[]) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8" });
  const lines = r.stdout.trimEnd().split("\n");
  return { status: r.status, last: lines.at(-1), stdout: r.stdout };
}

const vitestFile = (name: string, status: "passed" | "failed", assertions: string[], message = "") => ({
  name: `/repo/tests/${name}.test.ts`,
  status,
  message,
  assertionResults: assertions.map((s, i) => ({ title: `t${i}`, status: s, failureMessages: [] })),
});

const vitest = {
  allPass: {
    numTotalTestSuites: 2,
    numPassedTestSuites: 2,
    numFailedTestSuites: 0,
    numPendingTestSuites: 0,
    numTotalTests: 4,
    numPassedTests: 2,
    numFailedTests: 0,
    numPendingTests: 1,
    numTodoTests: 1,
    success: true,
    testResults: [vitestFile("pass", "passed", ["passed", "skipped", "todo", "passed"])],
  },
  // One failing test inside a describe: Vitest also marks the describe and the file failed
  // (numFailedTestSuites 2). That is one failure, not three.
  oneFailingTest: {
    numTotalTestSuites: 2,
    numPassedTestSuites: 0,
    numFailedTestSuites: 2,
    numPendingTestSuites: 0,
    numTotalTests: 2,
    numPassedTests: 1,
    numFailedTests: 1,
    numPendingTests: 0,
    numTodoTests: 0,
    success: false,
    testResults: [vitestFile("failtest", "failed", ["failed", "passed"])],
  },
  // A file-level beforeAll threw: its tests are "skipped", numFailedTests is 0.
  failedBeforeAll: {
    numTotalTestSuites: 1,
    numPassedTestSuites: 0,
    numFailedTestSuites: 1,
    numPendingTestSuites: 0,
    numTotalTests: 2,
    numPassedTests: 0,
    numFailedTests: 0,
    numPendingTests: 2,
    numTodoTests: 0,
    success: false,
    testResults: [vitestFile("beforeall", "failed", ["skipped", "skipped"], "db down")],
  },
  // A beforeAll inside a describe threw; a test outside it passed.
  failedDescribeBeforeAll: {
    numTotalTestSuites: 2,
    numPassedTestSuites: 0,
    numFailedTestSuites: 2,
    numPendingTestSuites: 0,
    numTotalTests: 2,
    numPassedTests: 1,
    numFailedTests: 0,
    numPendingTests: 1,
    numTodoTests: 0,
    success: false,
    testResults: [vitestFile("describebeforeall", "failed", ["skipped", "passed"])],
  },
  // The file threw while loading: no tests at all.
  importError: {
    numTotalTestSuites: 1,
    numPassedTestSuites: 0,
    numFailedTestSuites: 1,
    numPendingTestSuites: 0,
    numTotalTests: 0,
    numPassedTests: 0,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    success: false,
    testResults: [vitestFile("importerr", "failed", [], "boom at import")],
  },
  // An unhandled error after the tests passed: the report says success, only the exit code tells.
  unhandledError: {
    numTotalTestSuites: 1,
    numPassedTestSuites: 1,
    numFailedTestSuites: 0,
    numPendingTestSuites: 0,
    numTotalTests: 2,
    numPassedTests: 2,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    success: true,
    testResults: [vitestFile("unhandled", "passed", ["passed", "passed"])],
  },
};

const pwStats = (expected: number, unexpected: number, flaky: number, skipped: number) => ({
  startTime: "2026-11-21T12:16:45.210Z",
  duration: 560,
  expected,
  skipped,
  unexpected,
  flaky,
});
const playwright = {
  allPass: { config: {}, suites: [], errors: [], stats: pwStats(6, 0, 0, 1) },
  oneFailing: { config: {}, suites: [], errors: [], stats: pwStats(1, 1, 0, 0) },
  // beforeAll in a describe threw: the first test fails, the rest of the group is skipped.
  failedBeforeAll: { config: {}, suites: [], errors: [], stats: pwStats(1, 1, 0, 1) },
  flaky: { config: {}, suites: [], errors: [], stats: pwStats(0, 0, 1, 0) },
  webServerFailed: {
    config: {},
    suites: [],
    errors: [{ message: "Error: Process from config.webServer was not able to start. Exit code: 1" }],
    stats: pwStats(0, 0, 0, 0),
  },
  loadError: {
    config: {},
    suites: [],
    errors: [{ message: "Error: load boom" }, { message: "Error: No tests found" }],
    stats: pwStats(0, 0, 0, 0),
  },
};

describe("summarise-tests.mjs: Vitest reports", () => {
  it.each([
    ["all passing (skipped and todo count as neither)", vitest.allPass, 0, "2 passed, 0 failed", 0],
    ["one failing test counts once, not once per failed suite", vitest.oneFailingTest, 1, "1 passed, 1 failed", 1],
    ["a failed file-level beforeAll counts as a failure", vitest.failedBeforeAll, 1, "0 passed, 1 failed", 1],
    [
      "a failed describe-level beforeAll counts as a failure",
      vitest.failedDescribeBeforeAll,
      1,
      "1 passed, 1 failed",
      1,
    ],
    ["a file that threw while loading counts as a failure", vitest.importError, 1, "0 passed, 1 failed", 1],
    ["a non-zero exit with a clean report counts as a failure", vitest.unhandledError, 1, "2 passed, 1 failed", 1],
  ])("%s", (_name, report, exit, line, status) => {
    const r = summarise(["--vitest", reportFile(report), "--vitest-exit", String(exit)]);
    expect(r.last).toBe(line);
    expect(r.status).toBe(status);
  });

  it("names the file whose hook failed", () => {
    const r = summarise(["--vitest", reportFile(vitest.failedBeforeAll), "--vitest-exit", "1"]);
    expect(r.stdout).toContain("beforeall.test.ts: db down");
  });

  it("a missing report (runner crashed) counts as 1 failed", () => {
    const r = summarise(["--vitest", join(dir, "does-not-exist.json"), "--vitest-exit", "1"]);
    expect(r.last).toBe("0 passed, 1 failed");
    expect(r.status).toBe(1);
  });

  it("an unreadable report counts as 1 failed, whatever the exit code", () => {
    const r = summarise(["--vitest", reportFile('{"numPassedTests": 3, "trunc'), "--vitest-exit", "0"]);
    expect(r.last).toBe("0 passed, 1 failed");
    expect(r.status).toBe(1);
  });
});

describe("summarise-tests.mjs: Playwright reports", () => {
  it.each([
    ["all passing", playwright.allPass, 0, "6 passed, 0 failed", 0],
    ["one failing test", playwright.oneFailing, 1, "1 passed, 1 failed", 1],
    ["a failed beforeAll", playwright.failedBeforeAll, 1, "1 passed, 1 failed", 1],
    ["a flaky test counts as failed", playwright.flaky, 0, "0 passed, 1 failed", 1],
    ["a web server that did not start", playwright.webServerFailed, 1, "0 passed, 1 failed", 1],
    ["top-level errors each count", playwright.loadError, 1, "0 passed, 2 failed", 1],
  ])("%s", (_name, report, exit, line, status) => {
    const r = summarise(["--playwright", reportFile(report), "--playwright-exit", String(exit)]);
    expect(r.last).toBe(line);
    expect(r.status).toBe(status);
  });

  it("a non-zero exit with a clean report counts as 1 failed", () => {
    const r = summarise(["--playwright", reportFile(playwright.allPass), "--playwright-exit", "1"]);
    expect(r.last).toBe("6 passed, 1 failed");
  });
});

describe("summarise-tests.mjs: both runners", () => {
  it("adds both reports up into one closing line", () => {
    const r = summarise([
      "--vitest",
      reportFile(vitest.allPass),
      "--vitest-exit",
      "0",
      "--playwright",
      reportFile(playwright.allPass),
      "--playwright-exit",
      "0",
    ]);
    expect(r.last).toBe("8 passed, 0 failed");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("vitest: 2 passed, 0 failed, 2 skipped");
    expect(r.stdout).toContain("playwright: 6 passed, 0 failed, 1 skipped");
  });

  it("a failed beforeAll in Vitest fails the run even when everything else passed", () => {
    const r = summarise([
      "--vitest",
      reportFile(vitest.failedBeforeAll),
      "--vitest-exit",
      "1",
      "--playwright",
      reportFile(playwright.allPass),
      "--playwright-exit",
      "0",
    ]);
    expect(r.last).toBe("6 passed, 1 failed");
    expect(r.status).toBe(1);
  });

  it("e2e that never ran (build failed, no report) counts as 1 failed", () => {
    const r = summarise([
      "--vitest",
      reportFile(vitest.allPass),
      "--vitest-exit",
      "0",
      "--playwright",
      join(dir, "missing-playwright.json"),
      "--playwright-exit",
      "1",
    ]);
    expect(r.last).toBe("2 passed, 1 failed");
    expect(r.status).toBe(1);
  });

  it("bad arguments still end with a closing line and fail", () => {
    const r = summarise(["--jest", "x.json"]);
    expect(r.last).toBe("0 passed, 1 failed");
    expect(r.status).toBe(1);
  });

  it("no runner at all is a failure, not a silent pass", () => {
    const r = summarise([]);
    expect(r.last).toBe("0 passed, 1 failed");
    expect(r.status).toBe(1);
  });
});
