import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, memberships, outbox } from "#db/schema/index";
import { createQueues } from "#jobs/queues.server";
import { relayOutboxOnce } from "#jobs/relay.server";
import { relayAndProcess } from "#tests/setup/jobs";
import { loginStaff } from "~/auth/login.server";
import { acceptInvitation, createInvitation, lookupInvitation } from "~/features/staff/invitations.server";
import { createMailer } from "~/integrations/mail.server";
import { closeRedis } from "~/lib/redis.server";
import { makeStaff } from "#tests/factories/staff";
import { makeTenant } from "#tests/factories/tenants";
import { readMailbox, startSmtpCapture } from "#tests/fakes/smtp-capture";
import { testDbs } from "#tests/setup/db";
import type { Tenant } from "#db/schema/index";

const dbs = testDbs();
const key = Buffer.alloc(32, 3);
const mailDir = mkdtempSync(join(tmpdir(), "mdg-mail-"));
const prefix = process.env.REDIS_PREFIX!;
let smtp: { port: number; close(): Promise<void> };
let city: Tenant;
let admin: Awaited<ReturnType<typeof makeStaff>>;

beforeAll(async () => {
  smtp = await startSmtpCapture({ port: 0, dir: mailDir });
  city = await makeTenant(dbs.appDb, { name: "招待テスト市" });
  admin = await makeStaff(dbs.appDb, { tenantId: city.id, role: "admin" });
});
afterAll(async () => {
  await smtp.close();
  await closeRedis();
  await dbs.close();
  rmSync(mailDir, { recursive: true, force: true });
});

const relayAndProcessHere = () => relayAndProcess(dbs.appDb, { smtpPort: smtp.port, key, tenantId: city.id });

describe("staff invitations", () => {
  it("writes the invitation and its e-mail job in one transaction; the worker mails a working link", async () => {
    const created = await createInvitation(dbs.appDb, key, {
      tenantId: city.id,
      email: "new.person@city.example",
      role: "operator",
      invitedBy: { kind: "staff", id: admin.user.id },
    });
    expect(created.ok).toBe(true);
    const pending = await dbs.ownerDb.select().from(outbox).where(eq(outbox.tenantId, city.id));
    expect(pending.map((o) => o.jobName)).toEqual(["send-staff-invitation"]);
    expect(JSON.stringify(pending[0]!.payload)).not.toContain(created.ok ? created.token : "x"); // ids only, no token

    const r = await relayAndProcessHere();
    expect(r).toEqual({ relayed: 1, failed: 0 });
    const [mail] = await readMailbox(mailDir);
    expect(mail!.to).toEqual(["new.person@city.example"]);
    expect(mail!.subject).toContain("招待テスト市");
    const link = mail!.text.match(/http:\/\/madoguchi\.test\/c\/[a-z0-9-]+\/admin\/invite\/([a-z2-7]{32})/);
    expect(link).not.toBeNull();
    const token = link![1]!;

    expect((await lookupInvitation(dbs.appDb, city.id, token)).state).toBe("valid");
    const accepted = await acceptInvitation(dbs.appDb, {
      tenantId: city.id,
      token,
      displayName: "新人 一郎",
      password: "a-long-new-password",
    });
    expect(accepted.ok).toBe(true);
    const [m] = await dbs.ownerDb
      .select()
      .from(memberships)
      .where(
        and(eq(memberships.tenantId, city.id), eq(memberships.staffUserId, accepted.ok ? accepted.staffUserId : "")),
      );
    expect(m?.role).toBe("operator");
    expect(
      (
        await loginStaff(dbs.appDb, {
          tenant: city,
          email: "new.person@city.example",
          password: "a-long-new-password",
          ip: "203.0.113.5",
        })
      ).ok,
    ).toBe(true);

    // Single use: the same link again is refused and changes nothing.
    const again = await acceptInvitation(dbs.appDb, {
      tenantId: city.id,
      token,
      displayName: "なりすまし",
      password: "another-password!!",
    });
    expect(again.ok).toBe(false);
    expect((await lookupInvitation(dbs.appDb, city.id, token)).state).toBe("used");
    const audit = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, city.id), eq(auditLog.action, "staff.invitation.accept")));
    expect(audit).toHaveLength(1);
  });

  it("a retried e-mail job does not send twice", async () => {
    const created = await createInvitation(dbs.appDb, key, {
      tenantId: city.id,
      email: "twice@city.example",
      role: "analyst",
      invitedBy: { kind: "staff", id: admin.user.id },
    });
    expect(created.ok).toBe(true);
    await relayAndProcessHere();
    const mailer = createMailer(`smtp://127.0.0.1:${smtp.port}`, "test@madoguchi.example");
    const { sendStaffInvitation } = await import("#jobs/processors/mail/send-staff-invitation");
    const result = await sendStaffInvitation(
      { db: dbs.appDb, mailer, key, appOrigin: "http://madoguchi.test" },
      { tenantId: city.id, invitationId: created.ok ? created.invitationId : "" },
    );
    mailer.close();
    expect(result).toBe("already-sent");
    expect((await readMailbox(mailDir)).filter((m) => m.to.includes("twice@city.example"))).toHaveLength(1);
  });

  it("expired links, another city's links and re-invited (revoked) links are refused", async () => {
    const past = new Date(Date.now() - 4 * 24 * 3600 * 1000);
    const old = await createInvitation(
      dbs.appDb,
      key,
      {
        tenantId: city.id,
        email: "late@city.example",
        role: "operator",
        invitedBy: { kind: "staff", id: admin.user.id },
      },
      past,
    );
    expect(old.ok && (await lookupInvitation(dbs.appDb, city.id, old.token)).state).toBe("expired");
    expect(
      old.ok &&
        (
          await acceptInvitation(dbs.appDb, {
            tenantId: city.id,
            token: old.token,
            displayName: "遅刻",
            password: "late-password-123",
          })
        ).ok,
    ).toBe(false);

    const first = await createInvitation(dbs.appDb, key, {
      tenantId: city.id,
      email: "re@city.example",
      role: "operator",
      invitedBy: { kind: "staff", id: admin.user.id },
    });
    const second = await createInvitation(dbs.appDb, key, {
      tenantId: city.id,
      email: "re@city.example",
      role: "admin",
      invitedBy: { kind: "staff", id: admin.user.id },
    });
    expect(first.ok && (await lookupInvitation(dbs.appDb, city.id, first.token)).state).toBe("invalid");
    expect(second.ok && (await lookupInvitation(dbs.appDb, city.id, second.token)).state).toBe("valid");

    const otherCity = await makeTenant(dbs.appDb);
    expect(second.ok && (await lookupInvitation(dbs.appDb, otherCity.id, second.token)).state).toBe("invalid");
    expect(
      second.ok &&
        (
          await acceptInvitation(dbs.appDb, {
            tenantId: otherCity.id,
            token: second.token,
            displayName: "越境",
            password: "cross-city-pass-1",
          })
        ).ok,
    ).toBe(false);
  });

  it("someone who already has an account joins with their existing password, not a new one", async () => {
    const otherCity = await makeTenant(dbs.appDb);
    const existing = await makeStaff(dbs.appDb, { tenantId: otherCity.id, role: "admin" });
    const inv = await createInvitation(dbs.appDb, key, {
      tenantId: city.id,
      email: existing.user.email,
      role: "analyst",
      invitedBy: { kind: "staff", id: admin.user.id },
    });
    if (!inv.ok) throw new Error("invitation failed");
    const wrong = await acceptInvitation(dbs.appDb, {
      tenantId: city.id,
      token: inv.token,
      displayName: "x",
      password: "not-my-password",
    });
    expect(wrong).toMatchObject({ ok: false, reason: "wrong-password" });
    expect((await lookupInvitation(dbs.appDb, city.id, inv.token)).state).toBe("valid"); // not consumed
    expect(
      (
        await acceptInvitation(dbs.appDb, {
          tenantId: city.id,
          token: inv.token,
          displayName: "x",
          password: existing.password,
        })
      ).ok,
    ).toBe(true);
  });

  it("inviting a current member is answered politely and writes nothing", async () => {
    const before = await dbs.ownerDb.select().from(outbox).where(eq(outbox.tenantId, city.id));
    const r = await createInvitation(dbs.appDb, key, {
      tenantId: city.id,
      email: admin.user.email,
      role: "admin",
      invitedBy: { kind: "staff", id: admin.user.id },
    });
    expect(r).toMatchObject({ ok: false, field: "email" });
    expect(await dbs.ownerDb.select().from(outbox).where(eq(outbox.tenantId, city.id))).toHaveLength(before.length);
  });

  it("with Redis unreachable the relay keeps the rows and retries them later", async () => {
    await createInvitation(dbs.appDb, key, {
      tenantId: city.id,
      email: "offline@city.example",
      role: "operator",
      invitedBy: { kind: "staff", id: admin.user.id },
    });
    const dead = createQueues("redis://127.0.0.1:1", prefix);
    const r = await relayOutboxOnce(dbs.appDb, dead, { tenantId: city.id });
    await dead.close();
    expect(r.relayed).toBe(0);
    expect(r.failed).toBeGreaterThan(0);
    const rows = await dbs.ownerDb.select().from(outbox).where(eq(outbox.tenantId, city.id));
    const offline = rows.filter((o) => o.relayedAt === null);
    expect(offline.length).toBeGreaterThan(0);
    for (const o of offline) {
      expect(o.lastError).toBe("redis unavailable");
      expect(o.lockedUntil).toBeNull();
    }
  });
});
