import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { eq, isNull, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import {
  outbox,
  sessions,
  twoFactorCredentials,
  twoFactorRecoveryCodes,
  vendorAuditLog,
  vendorInvitations,
} from "#db/schema/index";
import { loginVendor } from "~/auth/login.server";
import { createSession, validateSessionToken } from "~/auth/session.server";
import { totpCodeAt } from "~/auth/two-factor/totp.server";
import { regenerateRecoveryCodes } from "~/auth/two-factor/two-factor.server";
import {
  resetVendorTwoFactorByOperator,
  vendorCreateCommand,
  vendorReset2faCommand,
} from "~/features/vendor/vendor-cli.server";
import {
  DUPLICATE_VENDOR,
  acceptVendorInvitation,
  lookupVendorInvitation,
} from "~/features/vendor/vendor-invitations.server";
import { masterKey } from "~/lib/crypto.server";
import { closeRedis } from "~/lib/redis.server";
import { makeVendor } from "#tests/factories/staff";
import { enrolTotp } from "#tests/factories/two-factor";
import { testDbs } from "#tests/setup/db";

/**
 * The ops commands (ADR 023): `vendor:create` prints a one-time invitation link for a vendor
 * account; `vendor:reset-2fa` is the break-glass for the last vendor who lost their device.
 */
const dbs = testDbs();
// The development key: the spawned script reads MADOGUCHI_MASTER_KEY's dev default, like the app.
const key = masterKey("ZGV2LW9ubHktbWFzdGVyLWtleS1kby1ub3QtdXNlISE=");
const ctx = { key, appOrigin: "https://ops.madoguchi.test", osUser: "ops-tester" };
afterAll(async () => {
  await closeRedis();
  await dbs.close();
});
const unique = (name: string) => `${name}-${Date.now().toString(36)}@madoguchi.example`;
const linkToken = (lines: string[]) => lines.join("\n").match(/\/vendor\/invite\/([a-z2-7]{32})$/m)?.[1];

describe("npm run vendor:create", () => {
  it("prints a single-use link on APP_ORIGIN; joining from it gives an account whose login must enrol two-factor; audited as cli, no e-mail job", async () => {
    const email = unique("first");
    const r = await vendorCreateCommand(dbs.appDb, ctx, ["--email", email.toUpperCase(), "--name", "初代 運営"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.join("\n")).toContain(`https://ops.madoguchi.test/vendor/invite/`);
    const token = linkToken(r.stdout)!;
    expect(await lookupVendorInvitation(dbs.appDb, token)).toMatchObject({
      state: "valid",
      email,
      displayName: "初代 運営",
    });

    const [inv] = await dbs.ownerDb.select().from(vendorInvitations).where(eq(vendorInvitations.email, email));
    expect(inv!.invitedByVendorId).toBeNull();
    expect(
      await dbs.ownerDb
        .select()
        .from(outbox)
        .where(sql`${outbox.payload}->>'invitationId' = ${inv!.id}`),
    ).toHaveLength(0);
    const [audit] = (
      await dbs.ownerDb.select().from(vendorAuditLog).where(eq(vendorAuditLog.action, "vendor.staff.invite"))
    ).filter((a) => a.detail.invitationId === inv!.id);
    expect(audit).toMatchObject({
      vendorUserId: null,
      detail: { via: "cli", osUser: "ops-tester", email, mailed: false },
    });

    const joined = await acceptVendorInvitation(dbs.appDb, {
      token,
      displayName: "初代 運営",
      password: "first-vendor-password",
    });
    expect(joined.ok).toBe(true);
    const login = await loginVendor(dbs.appDb, { email, password: "first-vendor-password", ip: "203.0.113.20" });
    expect(login.ok && login.secondStep).toBe("enrol");

    // The same address again: an account exists now.
    const again = await vendorCreateCommand(dbs.appDb, ctx, ["--email", email, "--name", "二代目"]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr.join("\n")).toContain(DUPLICATE_VENDOR);
  });

  it("validates its arguments and exits non-zero with a clear message, creating nothing", async () => {
    const before = await dbs.ownerDb.select({ n: sql<number>`count(*)::int` }).from(vendorInvitations);
    for (const [argv, expected] of [
      [[], "--email"],
      [["--email", "not-an-address", "--name", "x"], "メールアドレスの形式が正しくありません"],
      [["--email", "ok@madoguchi.example"], "--name"],
      [["--email", "ok@madoguchi.example", "--name", "x", "--role", "admin"], "--role"],
      [["--email", "ok@madoguchi.example", "--name", "x", "extra"], "使い方"],
    ] as const) {
      const r = await vendorCreateCommand(dbs.appDb, ctx, [...argv]);
      expect(r.exitCode, argv.join(" ")).toBe(1);
      expect(r.stdout).toEqual([]);
      expect(r.stderr.join("\n"), argv.join(" ")).toContain(expected);
    }
    expect(await dbs.ownerDb.select({ n: sql<number>`count(*)::int` }).from(vendorInvitations)).toEqual(before);
  });
});

describe("npm run vendor:reset-2fa", () => {
  it("deletes the credential, its recovery codes and every session, audits {via: cli, osUser}, and the next login enrols again", async () => {
    const lost = await makeVendor(dbs.appDb);
    const { secret, credentialId } = await enrolTotp(dbs.appDb, key, "vendor", lost.user.id);
    expect(
      (
        await regenerateRecoveryCodes(
          dbs.appDb,
          key,
          { kind: "vendor", userId: lost.user.id },
          totpCodeAt(secret, new Date()),
        )
      ).ok,
    ).toBe(true);
    const s1 = await createSession(dbs.appDb, "vendor", lost.user.id);
    await createSession(dbs.appDb, "vendor", lost.user.id);
    const bystander = await makeVendor(dbs.appDb);
    const other = await createSession(dbs.appDb, "vendor", bystander.user.id);

    const r = await vendorReset2faCommand(dbs.appDb, { osUser: "ops-tester" }, ["--email", lost.user.email]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.join("\n")).toContain("2段階認証をリセットしました");

    expect(
      await dbs.ownerDb.select().from(twoFactorCredentials).where(eq(twoFactorCredentials.vendorUserId, lost.user.id)),
    ).toHaveLength(0);
    expect(
      await dbs.ownerDb
        .select()
        .from(twoFactorRecoveryCodes)
        .where(eq(twoFactorRecoveryCodes.credentialId, credentialId)),
    ).toHaveLength(0);
    expect(await dbs.ownerDb.select().from(sessions).where(eq(sessions.vendorUserId, lost.user.id))).toHaveLength(0);
    expect(await validateSessionToken(dbs.appDb, "vendor", s1.token)).toBeNull();
    expect(await validateSessionToken(dbs.appDb, "vendor", other.token)).not.toBeNull();

    const [audit] = (await dbs.ownerDb.select().from(vendorAuditLog).where(isNull(vendorAuditLog.vendorUserId))).filter(
      (a) => a.action === "vendor.two_factor.reset" && a.detail.targetVendorUserId === lost.user.id,
    );
    expect(audit!.detail).toEqual({
      via: "cli",
      osUser: "ops-tester",
      targetVendorUserId: lost.user.id,
      hadCredential: true,
      wasConfirmed: true,
      sessionsEnded: 2,
    });

    const login = await loginVendor(dbs.appDb, { email: lost.user.email, password: lost.password, ip: "203.0.113.21" });
    expect(login.ok && login.secondStep).toBe("enrol");
  });

  it("refuses an unknown address or bad arguments with exit code 1", async () => {
    expect(
      await resetVendorTwoFactorByOperator(dbs.appDb, { email: "nobody@madoguchi.example", osUser: "x" }),
    ).toMatchObject({ ok: false });
    for (const argv of [["--email", "nobody@madoguchi.example"], [], ["--email", "bad"], ["--name", "x"]]) {
      const r = await vendorReset2faCommand(dbs.appDb, { osUser: "x" }, argv);
      expect(r.exitCode, argv.join(" ")).toBe(1);
      expect(r.stderr[0], argv.join(" ")).toMatch(/^エラー/);
    }
  });
});

describe("the scripts themselves (tsx, DATABASE_URL from the environment)", () => {
  const run = promisify(execFile);
  const tsx = join(import.meta.dirname, "../../node_modules/tsx/dist/cli.mjs");
  // DATABASE_URL is the test database's (global setup); an empty key means the development default.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "test",
    APP_ORIGIN: "https://cli.madoguchi.test",
    MADOGUCHI_MASTER_KEY: "",
  };

  it("vendor:create prints a working link; vendor:reset-2fa exits 1 for an unknown address", async () => {
    const email = unique("spawned");
    const created = await run(
      process.execPath,
      [tsx, "scripts/vendor-create.ts", "--email", email, "--name", "起動 テスト"],
      { env, cwd: join(import.meta.dirname, "../..") },
    );
    const token = linkToken(created.stdout.trim().split("\n"));
    expect(created.stdout).toContain("https://cli.madoguchi.test/vendor/invite/");
    expect(await lookupVendorInvitation(dbs.appDb, token!)).toMatchObject({ state: "valid", email });

    const failed = await run(
      process.execPath,
      [tsx, "scripts/vendor-reset-2fa.ts", "--email", "nobody@madoguchi.example"],
      { env, cwd: join(import.meta.dirname, "../..") },
    ).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain("nobody@madoguchi.example");
  }, 30_000);
});
