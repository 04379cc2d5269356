import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// scripts/test-all.sh (`npm test`) run in a scratch copy of the repository layout, with `npx` and
// `npm` replaced by stubs that write the reports a real Vitest / Playwright run would write. Checks
// the order of the steps, that both runners always run, and the closing line.

const SCRIPTS = fileURLToPath(new URL("../../scripts/", import.meta.url));

const FAKE_NPX = `#!/usr/bin/env bash
echo "npx $*" >> "$FAKE_LOG"
case "$1" in
  vitest)
    out=""; for a in "$@"; do case "$a" in --outputFile=*) out="\${a#--outputFile=}";; esac; done
    case "$FAKE_VITEST" in
      pass) echo '{"numPassedTests":3,"numFailedTests":0,"numFailedTestSuites":0,"numPendingTests":0,"success":true,"testResults":[]}' > "$out"; exit 0;;
      fail) echo '{"numPassedTests":2,"numFailedTests":1,"numFailedTestSuites":2,"numPendingTests":0,"success":false,"testResults":[{"name":"a.test.ts","status":"failed","message":"","assertionResults":[{"status":"failed"},{"status":"passed"},{"status":"passed"}]}]}' > "$out"; exit 1;;
      crash) exit 1;;
    esac;;
  playwright)
    case "$FAKE_PW" in
      pass) echo '{"errors":[],"stats":{"expected":6,"unexpected":0,"flaky":0,"skipped":0}}' > playwright-results.json; exit 0;;
      fail) echo '{"errors":[],"stats":{"expected":5,"unexpected":1,"flaky":0,"skipped":0}}' > playwright-results.json; exit 1;;
      crash) exit 1;;
    esac;;
esac
echo "unexpected npx call: $*" >&2; exit 99
`;

const FAKE_NPM = `#!/usr/bin/env bash
echo "npm $*" >> "$FAKE_LOG"
if [[ "$1 $2" == "run build" ]]; then
  if [[ "$FAKE_BUILD" == ok ]]; then mkdir -p build/server; exit 0; else exit 2; fi
fi
echo "unexpected npm call: $*" >&2; exit 99
`;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "test-all-"));
  mkdirSync(join(root, "scripts"));
  mkdirSync(join(root, "bin"));
  for (const f of ["test-all.sh", "summarise-tests.mjs"]) copyFileSync(join(SCRIPTS, f), join(root, "scripts", f));
  writeFileSync(join(root, "bin", "npx"), FAKE_NPX);
  writeFileSync(join(root, "bin", "npm"), FAKE_NPM);
  chmodSync(join(root, "bin", "npx"), 0o755);
  chmodSync(join(root, "bin", "npm"), 0o755);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

type Fake = {
  vitest?: "pass" | "fail" | "crash";
  pw?: "pass" | "fail" | "crash";
  build?: "ok" | "fail";
  env?: Record<string, string>;
};

function runTestAll({ vitest = "pass", pw = "pass", build = "ok", env = {} }: Fake = {}) {
  const log = join(root, "calls.log");
  writeFileSync(log, "");
  const { SKIP_E2E: _s, E2E_REBUILD: _r, ...baseEnv } = process.env;
  const r = spawnSync("bash", [join(root, "scripts", "test-all.sh")], {
    encoding: "utf8",
    env: {
      ...baseEnv,
      PATH: `${join(root, "bin")}:${process.env.PATH}`,
      FAKE_LOG: log,
      FAKE_VITEST: vitest,
      FAKE_PW: pw,
      FAKE_BUILD: build,
      ...env,
    },
  });
  return {
    status: r.status,
    last: r.stdout.trimEnd().split("\n").at(-1),
    stdout: r.stdout,
    calls: readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" ").slice(0, 2).join(" ")),
  };
}

describe("scripts/test-all.sh", () => {
  it("builds when build/ is missing, runs both runners in order, and ends with the sum", () => {
    const r = runTestAll();
    expect(r.calls).toEqual(["npx vitest", "npm run", "npx playwright"]);
    expect(r.last).toBe("9 passed, 0 failed");
    expect(r.status).toBe(0);
  });

  it("passes the Vitest JSON reporter options", () => {
    runTestAll();
    const log = readFileSync(join(root, "calls.log"), "utf8");
    expect(log).toContain("npx vitest run --reporter=default --reporter=json --outputFile=test-results.json");
    expect(log).toContain("npx playwright test");
  });

  it("reuses an existing build/, and rebuilds with E2E_REBUILD=1", () => {
    mkdirSync(join(root, "build"));
    expect(runTestAll().calls).toEqual(["npx vitest", "npx playwright"]);
    expect(runTestAll({ env: { E2E_REBUILD: "1" } }).calls).toEqual(["npx vitest", "npm run", "npx playwright"]);
  });

  it("still runs Playwright when Vitest failed, and fails overall", () => {
    const r = runTestAll({ vitest: "fail" });
    expect(r.calls).toContain("npx playwright");
    expect(r.last).toBe("8 passed, 1 failed");
    expect(r.status).not.toBe(0);
  });

  it("counts a crashed Vitest (no report) as 1 failed", () => {
    const r = runTestAll({ vitest: "crash" });
    expect(r.last).toBe("6 passed, 1 failed");
    expect(r.status).not.toBe(0);
  });

  it("counts Playwright failures", () => {
    const r = runTestAll({ pw: "fail" });
    expect(r.last).toBe("8 passed, 1 failed");
    expect(r.status).not.toBe(0);
  });

  it("never reads a stale report left by an earlier run", () => {
    writeFileSync(
      join(root, "playwright-results.json"),
      '{"errors":[],"stats":{"expected":50,"unexpected":0,"flaky":0,"skipped":0}}',
    );
    writeFileSync(
      join(root, "test-results.json"),
      '{"numPassedTests":50,"numFailedTests":0,"numFailedTestSuites":0,"success":true,"testResults":[]}',
    );
    const r = runTestAll({ vitest: "crash", pw: "crash" });
    expect(r.last).toBe("0 passed, 2 failed");
    expect(r.status).not.toBe(0);
  });

  it("does not run Playwright when the build fails, and counts that as a failure", () => {
    const r = runTestAll({ build: "fail" });
    expect(r.calls).toEqual(["npx vitest", "npm run"]);
    expect(r.last).toBe("3 passed, 1 failed");
    expect(r.status).not.toBe(0);
    expect(existsSync(join(root, "build"))).toBe(false);
  });

  it("skips build and Playwright with SKIP_E2E=1", () => {
    const r = runTestAll({ env: { SKIP_E2E: "1" } });
    expect(r.calls).toEqual(["npx vitest"]);
    expect(r.last).toBe("3 passed, 0 failed");
    expect(r.status).toBe(0);
  });
});
