import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, vendorAuditLog, vendorInvitations, vendorUsers } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { sendVendorInvitation } from "#jobs/processors/mail/send-vendor-invitation";
import { discardPendingPlatformRows, relayAndProcess } from "#tests/setup/jobs";
import { loginVendor } from "~/auth/login.server";
import { writePlatformOutbox } from "~/features/outbox/outbox.server";
import {
  DUPLICATE_VENDOR,
  INVITATION_INVALID,
  acceptVendorInvitation,
  cancelVendorInvitation,
  createVendorInvitation,
  listOpenVendorInvitations,
  lookupVendorInvitation,
  resendVendorInvitation,
} from "~/features/vendor/vendor-invitations.server";
import { createMailer } from "~/integrations/mail.server";
import { closeRedis } from "~/lib/redis.server";
import { makeVendor } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { readMailbox, startSmtpCapture } from "#tests/fakes/smtp-capture";
import { testDbs } from "#tests/setup/db";

/**
 * Vendor staff invitations (ADR 023): invite on /vendor/staff → a platform outbox row → the worker
 * mails a single-use link → joining creates the account → its login must enrol two-factor first.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 7);
const mailDir = mkdtempSync(join(tmpdir(), "mdg-vmail-"));
let smtp: { port: number; close(): Promise<void> };
let inviter: Awaited<ReturnType<typeof makeVendor>>;

beforeAll(async () => {
  await discardPendingPlatformRows(dbs.ownerDb);
  smtp = await startSmtpCapture({ port: 0, dir: mailDir });
  inviter = await makeVendor(dbs.appDb, { displayName: "招待 太郎" });
});
afterAll(async () => {
  await smtp.close();
  await closeRedis();
  await dbs.close();
  rmSync(mailDir, { recursive: true, force: true });
});

const relayPlatform = () => relayAndProcess(dbs.appDb, { smtpPort: smtp.port, key, tenantId: null });
const unique = (name: string) => `${name}-${Date.now().toString(36)}@madoguchi.example`;
const invite = (email: string, displayName = "新人 運営") =>
  createVendorInvitation(dbs.appDb, key, {
    email,
    displayName,
    invitedBy: { kind: "vendor", id: inviter.user.id },
    ip: "203.0.113.7",
  });
const audits = (action: string) => dbs.ownerDb.select().from(vendorAuditLog).where(eq(vendorAuditLog.action, action));

describe("vendor staff invitations", () => {
  it("invite → e-mail through the outbox → join with a password → the login must enrol two-factor; audited; the link works once", async () => {
    const email = unique("join");
    const created = await invite(email);
    if (!created.ok) throw new Error(created.message);
    // A platform outbox row (no city) carrying the id only — never the token or the address.
    const rows = await dbs.ownerDb
      .select()
      .from(outbox)
      .where(and(isNull(outbox.tenantId), sql`${outbox.payload}->>'invitationId' = ${created.invitationId}`));
    expect(rows.map((r) => [r.jobName, r.payload])).toEqual([
      ["send-vendor-invitation", { invitationId: created.invitationId }],
    ]);
    const [stored] = await dbs.ownerDb
      .select()
      .from(vendorInvitations)
      .where(eq(vendorInvitations.id, created.invitationId));
    expect(JSON.stringify(stored)).not.toContain(created.token);

    expect(await relayPlatform()).toMatchObject({ relayed: 1, failed: 0 });
    const mails = (await readMailbox(mailDir)).filter((m) => m.to.includes(email));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("【窓口 Madoguchi】ベンダーコンソール（運営スタッフ）への招待");
    expect(mails[0]!.text).toContain("招待した人：招待 太郎");
    expect(mails[0]!.text).toContain("このリンクは1回だけ使えます。");
    const token = mails[0]!.text.match(/http:\/\/madoguchi\.test\/vendor\/invite\/([a-z2-7]{32})/)?.[1];
    expect(token).toBe(created.token);

    // A retried job does not mail twice.
    const mailer = createMailer(`smtp://127.0.0.1:${smtp.port}`, "test@madoguchi.example");
    expect(
      await sendVendorInvitation(
        { db: dbs.appDb, mailer, key, appOrigin: "http://madoguchi.test" },
        { invitationId: created.invitationId },
      ),
    ).toBe("already-sent");
    mailer.close();

    expect(await lookupVendorInvitation(dbs.appDb, token!)).toMatchObject({
      state: "valid",
      email,
      displayName: "新人 運営",
    });
    const accepted = await acceptVendorInvitation(dbs.appDb, {
      token: token!,
      displayName: "新人 花子",
      password: "a-long-vendor-password",
      ip: "203.0.113.8",
    });
    if (!accepted.ok) throw new Error(accepted.message);
    const [user] = await dbs.ownerDb.select().from(vendorUsers).where(eq(vendorUsers.email, email));
    expect(user).toMatchObject({ id: accepted.vendorUserId, displayName: "新人 花子" });
    expect(user!.passwordHash).not.toContain("a-long-vendor-password");

    const login = await loginVendor(dbs.appDb, { email, password: "a-long-vendor-password", ip: "203.0.113.8" });
    expect(login.ok && login.secondStep).toBe("enrol");

    // Used twice: refused, nothing changes.
    expect(
      await acceptVendorInvitation(dbs.appDb, {
        token: token!,
        displayName: "なりすまし",
        password: "another-long-password",
      }),
    ).toEqual({ ok: false, message: INVITATION_INVALID });
    expect((await lookupVendorInvitation(dbs.appDb, token!)).state).toBe("used");
    expect(await dbs.ownerDb.select().from(vendorUsers).where(eq(vendorUsers.email, email))).toHaveLength(1);
    expect((await listOpenVendorInvitations(dbs.appDb)).some((r) => r.id === created.invitationId)).toBe(false);

    const [inviteAudit] = (await audits("vendor.staff.invite")).filter(
      (a) => a.detail.invitationId === created.invitationId,
    );
    expect(inviteAudit).toMatchObject({
      vendorUserId: inviter.user.id,
      ip: "203.0.113.7",
      detail: { email, via: "console", mailed: true },
    });
    const [acceptAudit] = (await audits("vendor.staff.invitation.accept")).filter(
      (a) => a.detail.invitationId === created.invitationId,
    );
    expect(acceptAudit).toMatchObject({
      vendorUserId: accepted.vendorUserId,
      ip: "203.0.113.8",
      detail: { invitedByVendorId: inviter.user.id },
    });
  });

  it("refuses an address that already is vendor staff, at invitation and at joining (account created meanwhile)", async () => {
    expect(await invite(inviter.user.email.toUpperCase())).toEqual({
      ok: false,
      field: "email",
      message: DUPLICATE_VENDOR,
    });

    const email = unique("race");
    const created = await invite(email);
    if (!created.ok) throw new Error(created.message);
    await makeVendor(dbs.appDb, { email });
    expect(
      await acceptVendorInvitation(dbs.appDb, {
        token: created.token,
        displayName: "二重",
        password: "a-long-vendor-password",
      }),
    ).toEqual({ ok: false, message: DUPLICATE_VENDOR });
    // Rolled back: the invitation was not consumed and no second account exists.
    const [row] = await dbs.ownerDb
      .select()
      .from(vendorInvitations)
      .where(eq(vendorInvitations.id, created.invitationId));
    expect(row!.acceptedAt).toBeNull();
    expect(await dbs.ownerDb.select().from(vendorUsers).where(eq(vendorUsers.email, email))).toHaveLength(1);
  });

  it("an expired link is refused, is not mailed, and can be resent as a fresh link (the old one dies)", async () => {
    const email = unique("late");
    const past = new Date(Date.now() - 73 * 3600 * 1000);
    const old = await createVendorInvitation(
      dbs.appDb,
      key,
      { email, displayName: "遅刻 運営", invitedBy: { kind: "vendor", id: inviter.user.id } },
      past,
    );
    if (!old.ok) throw new Error(old.message);
    expect((await lookupVendorInvitation(dbs.appDb, old.token)).state).toBe("expired");
    expect(
      await acceptVendorInvitation(dbs.appDb, {
        token: old.token,
        displayName: "遅刻",
        password: "a-long-vendor-password",
      }),
    ).toEqual({ ok: false, message: INVITATION_INVALID });
    await relayPlatform();
    expect((await readMailbox(mailDir)).filter((m) => m.to.includes(email))).toHaveLength(0);
    expect((await listOpenVendorInvitations(dbs.appDb)).find((r) => r.id === old.invitationId)).toMatchObject({
      expired: true,
    });

    expect(
      await resendVendorInvitation(dbs.appDb, key, { invitationId: old.invitationId, actorId: inviter.user.id }),
    ).toMatchObject({ ok: true });
    expect((await lookupVendorInvitation(dbs.appDb, old.token)).state).toBe("invalid");
    await relayPlatform();
    const mails = (await readMailbox(mailDir)).filter((m) => m.to.includes(email));
    expect(mails).toHaveLength(1);
    const token = mails[0]!.text.match(/\/vendor\/invite\/([a-z2-7]{32})/)![1]!;
    expect((await lookupVendorInvitation(dbs.appDb, token)).state).toBe("valid");
    const [resent] = (await audits("vendor.staff.invite")).filter((a) => a.detail.resentFrom === old.invitationId);
    expect(resent).toMatchObject({ vendorUserId: inviter.user.id, detail: { email, via: "console" } });
  });

  it("a cancelled invitation's link is dead and its mail is not sent; cancelling is audited and happens once", async () => {
    const email = unique("cancel");
    const created = await invite(email);
    if (!created.ok) throw new Error(created.message);
    expect(
      await cancelVendorInvitation(dbs.appDb, {
        invitationId: created.invitationId,
        actorId: inviter.user.id,
        ip: "203.0.113.9",
      }),
    ).toMatchObject({ ok: true });
    expect(
      (await cancelVendorInvitation(dbs.appDb, { invitationId: created.invitationId, actorId: inviter.user.id })).ok,
    ).toBe(false);
    expect(
      await resendVendorInvitation(dbs.appDb, key, { invitationId: created.invitationId, actorId: inviter.user.id }),
    ).toMatchObject({ ok: false });
    expect((await lookupVendorInvitation(dbs.appDb, created.token)).state).toBe("invalid");
    expect(
      (
        await acceptVendorInvitation(dbs.appDb, {
          token: created.token,
          displayName: "取消",
          password: "a-long-vendor-password",
        })
      ).ok,
    ).toBe(false);
    expect((await listOpenVendorInvitations(dbs.appDb)).some((r) => r.id === created.invitationId)).toBe(false);
    await relayPlatform();
    expect((await readMailbox(mailDir)).filter((m) => m.to.includes(email))).toHaveLength(0);
    const cancelled = (await audits("vendor.staff.invitation.cancel")).filter(
      (a) => a.detail.invitationId === created.invitationId,
    );
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({ vendorUserId: inviter.user.id, ip: "203.0.113.9", detail: { email } });
  });

  it("platform outbox rows are invisible inside a city's transaction and cannot be written from one; city rows are invisible outside", async () => {
    const city = await makeTenant(dbs.appDb);
    const created = await invite(unique("rls"));
    if (!created.ok) throw new Error(created.message);
    const inCity = await withTenant(dbs.appDb, city.id, (tx) =>
      tx.select().from(outbox).where(isNull(outbox.tenantId)),
    );
    expect(inCity).toHaveLength(0);
    await expect(
      withTenant(dbs.appDb, city.id, (tx) =>
        writePlatformOutbox(tx, "send-vendor-invitation", { invitationId: created.invitationId }),
      ),
    ).rejects.toThrow();
    await withTenant(dbs.appDb, city.id, (tx) =>
      tx.insert(outbox).values({
        tenantId: city.id,
        jobName: "purge-retention",
        payload: {},
        availableAt: new Date(Date.now() + 3600_000),
      }),
    );
    const outside = await dbs.appDb.select().from(outbox);
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.every((r) => r.tenantId === null)).toBe(true);
    await relayPlatform();
  });
});
