import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Stripe from "stripe";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { startStripeFake, type StripeFake } from "../../emulators/stripe/server";
import { createStripe } from "~/integrations/stripe/client.server";
import {
  auditLog,
  cityBilling,
  invitations,
  lineChannels,
  onboardings,
  outbox,
  tenants,
  vendorAuditLog,
} from "#db/schema/index";
import { decryptChannelRow } from "~/features/line/credentials.server";
import { completeBillingStep } from "~/features/onboarding/billing-step.server";
import { discardDraft, startOnboarding, updateCityStep } from "~/features/onboarding/city-step.server";
import { completeAdminStep, goLive } from "~/features/onboarding/finish-steps.server";
import { completeLiffStep } from "~/features/onboarding/liff-step.server";
import { completeLineStep, type OnboardingDeps } from "~/features/onboarding/line-step.server";
import { MSG } from "~/features/onboarding/messages";
import { completeRichMenuStep } from "~/features/onboarding/richmenu-step.server";
import { getOnboarding, onboardingOverview } from "~/features/onboarding/state.server";
import { completeWebhookStep } from "~/features/onboarding/webhook-step.server";
import { loadWizard } from "~/features/onboarding/wizard.server";
import { closeDb } from "#db/client.server";
import type { CreateTenantInput } from "~/features/tenants/tenants.schemas";
import { emulatorControl, fakeChannel, startWebhookReceiver, type PlainChannel } from "#tests/factories/line";
import { makeStaff, makeVendor } from "#tests/factories/staff";
import { testDbs } from "#tests/setup/db";

/**
 * The onboarding wizard's steps against the LINE emulator and the real database: each step's success
 * and its failures (wrong token, token of another channel, wrong secret, unreachable webhook URL,
 * "Use webhook" off, unknown LIFF id, wrong LIFF endpoint, duplicate slug), what is saved (and that
 * nothing is half-saved), resuming, invalidation, going live and discarding a draft.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 7);
let emu: LineEmulator;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let origin: string;
let actor: { vendorUserId: string; ip: string };
let stripeFake: StripeFake;
let stripe: Stripe;

const deps = (over: Partial<OnboardingDeps> = {}): OnboardingDeps => ({
  db: dbs.appDb,
  key,
  appOrigin: origin,
  line: { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { baseDelayMs: 5, maxDelayMs: 20 } },
  ...over,
});
const city = (slug: string, over: Partial<CreateTenantInput> = {}): CreateTenantInput => ({
  name: "架空市",
  slug,
  prefecture: "和歌山県",
  population: 42_000,
  areas: ["北地区", "南地区"],
  ...over,
});
const slug = (label: string) => `onb-${label}-${Date.now().toString(36)}`;
const steps = async (tenantId: string) => (await getOnboarding(dbs.appDb, tenantId))!.steps;
const channelRows = (tenantId: string) =>
  dbs.ownerDb.select().from(lineChannels).where(eq(lineChannels.tenantId, tenantId));
const vendorAudits = (tenantId: string, action: string) =>
  dbs.ownerDb
    .select()
    .from(vendorAuditLog)
    .where(and(eq(vendorAuditLog.tenantId, tenantId), eq(vendorAuditLog.action, action)));

const LOGIN_SECRET = "login-secret-of-the-liff-channel";

async function registered(
  label: string,
  over: Partial<PlainChannel & { liffEndpointUrl: string; webhookActive: boolean }> = {},
) {
  const channel = { ...fakeChannel(`onb-${label}-${Date.now()}`), ...over };
  await emulatorControl(emu.url).registerChannel({ ...channel, loginChannelSecret: LOGIN_SECRET } as PlainChannel);
  return channel;
}

beforeAll(async () => {
  stripeFake = await startStripeFake({ webhookUrl: null });
  stripe = createStripe({ secretKey: "sk_test_onboarding", apiBase: stripeFake.url });
  emu = await startLineEmulator({ port: 0, webhookTimeoutMs: 2000 });
  receiver = await startWebhookReceiver(dbs.appDb, key);
  origin = new URL(receiver.url("x")).origin;
  actor = { vendorUserId: (await makeVendor(dbs.appDb)).user.id, ip: "127.0.0.1" };
});
afterAll(async () => {
  await closeDb(); // loadWizard uses the app's pool
  await receiver.close();
  await emu.close();
  await stripeFake.close();
  await dbs.close();
});

describe("step 1: the city as a draft", () => {
  it("creates the tenant in onboarding with the wizard's row; a taken slug creates nothing", async () => {
    const s = slug("dup");
    const first = await startOnboarding(dbs.appDb, city(s), actor);
    expect(first.ok).toBe(true);
    const tenantId = (first as { tenantId: string }).tenantId;
    const [t] = await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, tenantId));
    expect(t).toMatchObject({ slug: s, status: "onboarding", population: 42_000, areas: ["北地区", "南地区"] });
    const row = await getOnboarding(dbs.appDb, tenantId);
    expect(row).toMatchObject({
      currentStep: "line",
      startedBy: actor.vendorUserId,
      steps: { city: { status: "done" } },
    });
    expect(await vendorAudits(tenantId, "onboarding.start")).toHaveLength(1);

    const before = (await dbs.ownerDb.select().from(onboardings)).length;
    const again = await startOnboarding(dbs.appDb, city(s, { name: "別の市" }), actor);
    expect(again).toEqual({
      ok: false,
      field: "slug",
      message: "このURL用の名前はすでに使われています。別の名前を入力してください。",
    });
    expect(await dbs.ownerDb.select().from(tenants).where(eq(tenants.slug, s))).toHaveLength(1);
    expect(await dbs.ownerDb.select().from(onboardings)).toHaveLength(before);
  });

  it("lists drafts in the overview with their step, and a discarded draft leaves no rows behind", async () => {
    const started = (await startOnboarding(dbs.appDb, city(slug("discard")), actor)) as { ok: true; tenantId: string };
    const overview = await onboardingOverview(dbs.appDb);
    expect(overview.find((r) => r.tenantId === started.tenantId)).toMatchObject({
      currentStep: "line",
      stepNumber: 2,
      failed: null,
      doneCount: 1,
    });
    // A failed step shows in the overview with its explanation.
    await completeLineStep(
      deps(),
      started.tenantId,
      { channelId: "2999999999", channelSecret: "s", channelAccessToken: "unknown-token" },
      actor,
    );
    const failed = (await onboardingOverview(dbs.appDb)).find((r) => r.tenantId === started.tenantId)!;
    expect(failed.failed).toEqual({ step: "line", message: MSG.tokenInvalid });

    expect(await discardDraft(dbs.appDb, started.tenantId, actor)).toMatchObject({ ok: true });
    expect(await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, started.tenantId))).toHaveLength(0);
    expect(await dbs.ownerDb.select().from(onboardings).where(eq(onboardings.tenantId, started.tenantId))).toHaveLength(
      0,
    );
    const [audit] = await dbs.ownerDb
      .select()
      .from(vendorAuditLog)
      .where(eq(vendorAuditLog.action, "onboarding.discard"));
    expect(audit!.detail).toMatchObject({ tenantId: started.tenantId });
    expect((await onboardingOverview(dbs.appDb)).some((r) => r.tenantId === started.tenantId)).toBe(false);
  });
});

describe("the whole wizard for one city, with every failure on the way", () => {
  let tenantId: string;
  let channel: Awaited<ReturnType<typeof registered>>;
  const s = slug("full");

  beforeAll(async () => {
    channel = await registered("full", { liffEndpointUrl: `${"http://placeholder.invalid"}/c/${s}` });
    tenantId = ((await startOnboarding(dbs.appDb, city(s), actor)) as { tenantId: string }).tenantId;
  });

  it("LINE channel: a wrong token is explained and saves no credentials", async () => {
    const r = await completeLineStep(
      deps(),
      tenantId,
      { channelId: channel.channelId, channelSecret: channel.channelSecret, channelAccessToken: "wrong-token" },
      actor,
    );
    expect(r).toEqual({ ok: false, message: MSG.tokenInvalid });
    expect(await channelRows(tenantId)).toHaveLength(0);
    expect((await steps(tenantId)).line).toMatchObject({ status: "failed", message: MSG.tokenInvalid });
    const [audit] = await vendorAudits(tenantId, "onboarding.line");
    expect(audit!.detail).toMatchObject({ ok: false, error: "unauthorized" });
    expect(JSON.stringify(audit!.detail)).not.toContain("wrong-token");
  });

  it("LINE channel: another channel's token is refused, naming both channels", async () => {
    const other = await registered("other");
    const r = await completeLineStep(
      deps(),
      tenantId,
      {
        channelId: channel.channelId,
        channelSecret: channel.channelSecret,
        channelAccessToken: other.channelAccessToken,
      },
      actor,
    );
    expect(r).toEqual({ ok: false, message: MSG.tokenOtherChannel(channel.channelId, other.channelId) });
    expect(await channelRows(tenantId)).toHaveLength(0);
  });

  it("LINE channel: saves the credentials encrypted with the bot's user id, once LINE accepts the token", async () => {
    // The secret is wrong on purpose: only the webhook test can tell.
    const r = await completeLineStep(
      deps(),
      tenantId,
      { channelId: channel.channelId, channelSecret: "not-the-secret", channelAccessToken: channel.channelAccessToken },
      actor,
    );
    expect(r).toMatchObject({ ok: true, message: expect.stringContaining("と接続できました") });
    const [row] = await channelRows(tenantId);
    expect(row!.tokenEnc).not.toContain(channel.channelAccessToken);
    expect(decryptChannelRow(key, row!)).toMatchObject({
      channelId: channel.channelId,
      channelAccessToken: channel.channelAccessToken,
      botUserId: channel.botUserId,
    });
    expect(row!.checkedAt).not.toBeNull();
    expect((await getOnboarding(dbs.appDb, tenantId))!.currentStep).toBe("webhook");
    const [cityAudit] = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, "line.channel.save")));
    expect(cityAudit).toMatchObject({ actorKind: "vendor", actorId: actor.vendorUserId });
  });

  it("LINE channel: a channel already used by another city is refused", async () => {
    const otherCity = ((await startOnboarding(dbs.appDb, city(slug("taken")), actor)) as { tenantId: string }).tenantId;
    const r = await completeLineStep(
      deps(),
      otherCity,
      {
        channelId: channel.channelId,
        channelSecret: channel.channelSecret,
        channelAccessToken: channel.channelAccessToken,
      },
      actor,
    );
    expect(r).toEqual({ ok: false, message: MSG.channelTaken });
    expect(await channelRows(otherCity)).toHaveLength(0);
  });

  it("webhook: a URL LINE cannot reach is explained, with the URL", async () => {
    const closed = "http://127.0.0.1:9"; // discard port: nothing listens
    const r = await completeWebhookStep(deps({ appOrigin: closed }), tenantId, actor);
    expect(r.ok).toBe(false);
    expect(r.message).toBe(MSG.unreachable(`${closed}/webhooks/line/${tenantId}`, "ECONNREFUSED"));
    expect((await steps(tenantId)).webhook).toMatchObject({ status: "failed", message: r.message });
  });

  it("webhook: LINE's signed test is refused by our endpoint when the secret is wrong; fixing the secret and retrying passes", async () => {
    const wrong = await completeWebhookStep(deps(), tenantId, actor);
    expect(wrong).toEqual({ ok: false, message: MSG.secretWrong });
    // The LINE step again with the right secret only (blank token = keep the stored one).
    const fixed = await completeLineStep(
      deps(),
      tenantId,
      { channelId: channel.channelId, channelSecret: channel.channelSecret },
      actor,
    );
    expect(fixed.ok).toBe(true);
    expect((await steps(tenantId)).webhook).toMatchObject({ status: "pending" });
    const ok = await completeWebhookStep(deps(), tenantId, actor);
    expect(ok).toMatchObject({ ok: true });
    const set = await fetch(`${emu.url}/v2/bot/channel/webhook/endpoint`, {
      headers: { authorization: `Bearer ${channel.channelAccessToken}` },
    });
    expect(await set.json()).toEqual({ endpoint: `${origin}/webhooks/line/${tenantId}`, active: true });
  });

  it("webhook: LINE's Use-webhook switch off is explained", async () => {
    await emulatorControl(emu.url).registerChannel({ ...channel, webhookActive: false } as PlainChannel);
    expect(await completeWebhookStep(deps(), tenantId, actor)).toEqual({ ok: false, message: MSG.webhookInactive });
    await emulatorControl(emu.url).registerChannel({ ...channel, webhookActive: true } as PlainChannel);
    expect(await completeWebhookStep(deps(), tenantId, actor)).toMatchObject({ ok: true });
  });

  it("LIFF: a missing or wrong login channel secret is explained, and nothing is stored", async () => {
    const base = { loginChannelId: channel.loginChannelId, liffId: channel.liffId };
    expect(await completeLiffStep(deps(), tenantId, base, actor)).toEqual({
      ok: false,
      field: "loginChannelSecret",
      message: MSG.loginSecretMissing,
    });
    const wrong = await completeLiffStep(
      deps(),
      tenantId,
      { ...base, loginChannelSecret: "not-the-login-secret" },
      actor,
    );
    expect(wrong).toEqual({ ok: false, message: MSG.loginSecretWrong(channel.loginChannelId) });
    // The Messaging API channel's secret is the usual mix-up: LINE refuses it for the login channel.
    expect(
      await completeLiffStep(deps(), tenantId, { ...base, loginChannelSecret: channel.channelSecret }, actor),
    ).toEqual(wrong);
    expect((await steps(tenantId)).liff).toMatchObject({
      status: "failed",
      message: MSG.loginSecretWrong(channel.loginChannelId),
    });
    const [row] = await channelRows(tenantId);
    expect(row).toMatchObject({ loginSecretEnc: null, loginSecretLast4: null, liffId: null });
    const audits = await vendorAudits(tenantId, "onboarding.liff");
    expect(audits.some((a) => (a.detail as { error?: string }).error === "login_secret")).toBe(true);
    expect(JSON.stringify(audits)).not.toContain("not-the-login-secret");
  });

  it("LIFF: a LIFF id that does not match the login channel, an unknown LIFF id and a wrong endpoint URL are explained", async () => {
    const secret = { loginChannelSecret: LOGIN_SECRET };
    expect(
      await completeLiffStep(deps(), tenantId, { loginChannelId: "1234567", liffId: channel.liffId, ...secret }, actor),
    ).toEqual({ ok: false, field: "liffId", message: MSG.liffPrefix });
    const unknown = `${channel.loginChannelId}-nothere1`;
    expect(
      await completeLiffStep(
        deps(),
        tenantId,
        { loginChannelId: channel.loginChannelId, liffId: unknown, ...secret },
        actor,
      ),
    ).toEqual({ ok: false, message: MSG.liffMissing(unknown) });
    const wrongEndpoint = await completeLiffStep(
      deps(),
      tenantId,
      { loginChannelId: channel.loginChannelId, liffId: channel.liffId, ...secret },
      actor,
    );
    expect(wrongEndpoint).toEqual({
      ok: false,
      message: MSG.liffEndpoint(`http://placeholder.invalid/c/${s}`, `${origin}/c/${s}`),
    });
    const [row] = await channelRows(tenantId);
    expect(row!.liffId).toBeNull();
  });

  it("LIFF: the right endpoint passes; the LIFF id and the encrypted login secret are stored, and a resumed step reuses the secret", async () => {
    await emulatorControl(emu.url).registerChannel({
      ...channel,
      liffEndpointUrl: `${origin}/c/${s}/`,
    } as PlainChannel);
    expect(
      await completeLiffStep(
        deps(),
        tenantId,
        { loginChannelId: channel.loginChannelId, loginChannelSecret: LOGIN_SECRET, liffId: channel.liffId },
        actor,
      ),
    ).toMatchObject({ ok: true });
    const [row] = await channelRows(tenantId);
    expect(row).toMatchObject({
      liffId: channel.liffId,
      loginChannelId: channel.loginChannelId,
      loginSecretLast4: LOGIN_SECRET.slice(-4),
    });
    expect(row!.loginSecretEnc).not.toContain(LOGIN_SECRET);
    expect(decryptChannelRow(key, row!).loginChannelSecret).toBe(LOGIN_SECRET);
    const saves = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, "line.channel.save")));
    expect(saves.some((a) => (a.detail as { changed: string[] }).changed.includes("loginChannelSecret"))).toBe(true);
    expect(JSON.stringify(saves)).not.toContain(LOGIN_SECRET);
    // Blank on a resumed step = the stored secret (the form never shows it).
    expect(
      await completeLiffStep(
        deps(),
        tenantId,
        { loginChannelId: channel.loginChannelId, liffId: channel.liffId },
        actor,
      ),
    ).toMatchObject({ ok: true });
  });

  it("rich menu: LINE out of reach is explained, and nothing is left on LINE", async () => {
    const down = deps({
      line: {
        apiBase: "http://127.0.0.1:9",
        dataApiBase: "http://127.0.0.1:9",
        limiter: null,
        retry: { baseDelayMs: 1, maxDelayMs: 2 },
      },
    });
    const r = await completeRichMenuStep(down, tenantId, actor);
    expect(r.ok).toBe(false);
    expect(r.message).toContain("LINEのサーバーに接続できませんでした");
    expect((await steps(tenantId)).richmenu).toMatchObject({ status: "failed" });
    const list = await fetch(`${emu.url}/v2/bot/richmenu/list`, {
      headers: { authorization: `Bearer ${channel.channelAccessToken}` },
    });
    expect(((await list.json()) as { richmenus: unknown[] }).richmenus).toEqual([]);
  });

  it("rich menu: the default menu is published on LINE with LIFF links", async () => {
    expect(await completeRichMenuStep(deps(), tenantId, actor)).toMatchObject({ ok: true });
    const res = await fetch(`${emu.url}/__emulator/users/U${"b".repeat(32)}/richmenu?channelId=${channel.channelId}`);
    const menu = (await res.json()) as {
      richMenuId: string | null;
      richMenu: { areas: { action: { uri?: string } }[] };
    };
    expect(menu.richMenuId).toMatch(/^richmenu-/);
    expect(menu.richMenu.areas[0]!.action.uri).toBe(`https://liff.line.me/${channel.liffId}/reserve?channel=line`);
    const [audit] = await dbs.ownerDb
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, "line.richmenu.publish")));
    expect(audit).toMatchObject({ actorKind: "vendor", actorId: actor.vendorUserId });
  });

  it("going live before billing and the admin is refused, naming what is missing", async () => {
    const r = await goLive(dbs.appDb, tenantId, actor);
    expect(r).toEqual({ ok: false, message: "まだ完了していない手順があります：「プランと請求」、「最初の管理者」。" });
    const [t] = await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, tenantId));
    expect(t!.status).toBe("onboarding");
  });

  it("billing, first admin and go-live: the city becomes active and leaves the overview", async () => {
    const input = { planKey: "standard", billingEmail: "keiri@kasou.example.jp", collection: "send_invoice" as const };
    // Stripe unreachable: the step fails with what to do, stays resumable, and nothing is subscribed.
    const offline = createStripe({ secretKey: "sk_test_offline", apiBase: "http://127.0.0.1:9" });
    const failed = await completeBillingStep({ db: dbs.appDb, stripe: offline }, tenantId, input, actor);
    expect(failed).toMatchObject({ ok: false, message: expect.stringContaining("Stripe") });
    expect(await steps(tenantId)).toMatchObject({ billing: { status: "failed" } });
    expect((await getOnboarding(dbs.appDb, tenantId))!.currentStep).toBe("billing");
    // An unknown plan is refused before Stripe is asked.
    expect(
      await completeBillingStep({ db: dbs.appDb, stripe }, tenantId, { ...input, planKey: "free" }, actor),
    ).toMatchObject({ ok: false, field: "planKey" });

    // With Stripe up: one customer and one send_invoice subscription, stored for the city.
    expect(await completeBillingStep({ db: dbs.appDb, stripe }, tenantId, input, actor)).toMatchObject({
      ok: true,
      message: expect.stringContaining("スタンダード"),
    });
    expect(await getOnboarding(dbs.appDb, tenantId)).toMatchObject({
      planKey: "standard",
      billingEmail: "keiri@kasou.example.jp",
      billingCollection: "send_invoice",
      currentStep: "admin",
    });
    const [billing] = await dbs.ownerDb.select().from(cityBilling).where(eq(cityBilling.tenantId, tenantId));
    expect(billing).toMatchObject({
      planId: "standard",
      collectionMethod: "send_invoice",
      stripeCustomerId: expect.stringMatching(/^cus_/),
      stripeSubscriptionId: expect.stringMatching(/^sub_/),
    });
    // Doing the step again (a vendor going back) reuses them: still one customer, one subscription.
    expect(await completeBillingStep({ db: dbs.appDb, stripe }, tenantId, input, actor)).toMatchObject({ ok: true });
    const [again] = await dbs.ownerDb.select().from(cityBilling).where(eq(cityBilling.tenantId, tenantId));
    expect([again!.stripeCustomerId, again!.stripeSubscriptionId]).toEqual([
      billing!.stripeCustomerId,
      billing!.stripeSubscriptionId,
    ]);
    expect([...stripeFake.state.customers.values()].filter((c) => c.metadata?.tenantId === tenantId)).toHaveLength(1);

    expect(await completeAdminStep(dbs.appDb, tenantId, "first@kasou.example.jp", actor)).toMatchObject({ ok: true });
    const [inv] = await dbs.ownerDb.select().from(invitations).where(eq(invitations.tenantId, tenantId));
    expect(inv).toMatchObject({
      email: "first@kasou.example.jp",
      role: "admin",
      invitedByVendorId: actor.vendorUserId,
    });
    const mails = await dbs.ownerDb
      .select()
      .from(outbox)
      .where(and(eq(outbox.tenantId, tenantId), eq(outbox.jobName, "send-staff-invitation")));
    expect(mails).toHaveLength(1);

    // Resuming after the invitee joined: the step's goal is already met; no second invitation.
    const joined = (await startOnboarding(dbs.appDb, city(slug("joined")), actor)) as { tenantId: string };
    await makeStaff(dbs.appDb, { tenantId: joined.tenantId, role: "admin", email: "already@kasou.example.jp" });
    expect(await completeAdminStep(dbs.appDb, joined.tenantId, "already@kasou.example.jp", actor)).toEqual({
      ok: true,
      message: "already@kasou.example.jp はすでにこの自治体の職員として登録されています。",
    });
    expect(await dbs.ownerDb.select().from(invitations).where(eq(invitations.tenantId, joined.tenantId))).toHaveLength(
      0,
    );

    expect(await goLive(dbs.appDb, tenantId, actor)).toMatchObject({ ok: true });
    const [t] = await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, tenantId));
    expect(t!.status).toBe("active");
    const row = await getOnboarding(dbs.appDb, tenantId);
    expect(row!.completedAt).not.toBeNull();
    expect(row!.steps.live).toMatchObject({ status: "done" });
    expect((await onboardingOverview(dbs.appDb)).some((r) => r.tenantId === tenantId)).toBe(false);
    expect(await discardDraft(dbs.appDb, tenantId, actor)).toMatchObject({ ok: false });
    for (const step of ["start", "line", "webhook", "liff", "richmenu", "billing", "admin", "live"]) {
      expect((await vendorAudits(tenantId, `onboarding.${step}`)).length, step).toBeGreaterThan(0);
    }
  });
});

describe("resuming and changing earlier steps", () => {
  it("a new slug after the LIFF step makes LIFF and the rich menu stale; a duplicate slug changes nothing", async () => {
    const s = slug("resume");
    const channel = await registered("resume");
    const tenantId = ((await startOnboarding(dbs.appDb, city(s), actor)) as { tenantId: string }).tenantId;
    await emulatorControl(emu.url).registerChannel({ ...channel, liffEndpointUrl: `${origin}/c/${s}` } as PlainChannel);
    expect(await completeLineStep(deps(), tenantId, channel, actor)).toMatchObject({ ok: true });
    expect(await completeWebhookStep(deps(), tenantId, actor)).toMatchObject({ ok: true });
    expect(
      await completeLiffStep(
        deps(),
        tenantId,
        { loginChannelId: channel.loginChannelId, loginChannelSecret: LOGIN_SECRET, liffId: channel.liffId },
        actor,
      ),
    ).toMatchObject({ ok: true });
    expect((await getOnboarding(dbs.appDb, tenantId))!.currentStep).toBe("richmenu");

    const taken = slug("taken2");
    await startOnboarding(dbs.appDb, city(taken), actor);
    expect(await updateCityStep(dbs.appDb, tenantId, city(taken), actor)).toEqual({
      ok: false,
      field: "slug",
      message: "このURL用の名前はすでに使われています。別の名前を入力してください。",
    });
    expect((await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, tenantId)))[0]!.slug).toBe(s);

    const renamed = `${s}-x`;
    expect(await updateCityStep(dbs.appDb, tenantId, city(renamed, { name: "改名市" }), actor)).toEqual({
      ok: true,
      tenantId,
    });
    const after = await getOnboarding(dbs.appDb, tenantId);
    expect(after!.steps.liff).toMatchObject({ status: "pending" });
    expect(after!.steps.webhook).toMatchObject({ status: "done" });
    expect(after!.currentStep).toBe("liff");
    expect((await dbs.ownerDb.select().from(tenants).where(eq(tenants.id, tenantId)))[0]).toMatchObject({
      slug: renamed,
      name: "改名市",
    });
  });
});

describe("the wizard's guard (every step page and action)", () => {
  const redirectOf = async (p: Promise<unknown>) => {
    const thrown = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(Response);
    return (thrown as Response).headers.get("Location");
  };

  it("sends a skipped step to the first step not done, a finished wizard to the city's page, and an unknown city to 404", async () => {
    const tenantId = ((await startOnboarding(dbs.appDb, city(slug("guard")), actor)) as { tenantId: string }).tenantId;
    expect(await redirectOf(loadWizard(tenantId, "billing"))).toBe(`/vendor/onboarding/${tenantId}/line`);
    await expect(loadWizard(tenantId, "line")).resolves.toMatchObject({ row: { currentStep: "line" } });
    await expect(loadWizard(tenantId, "city")).resolves.toBeTruthy();
    const unknown = await loadWizard("00000000-0000-4000-8000-000000000000", "line").then(
      () => null,
      (e: unknown) => e,
    );
    expect((unknown as { init?: { status?: number } }).init?.status).toBe(404);
    await dbs.ownerDb.update(onboardings).set({ completedAt: new Date() }).where(eq(onboardings.tenantId, tenantId));
    expect(await redirectOf(loadWizard(tenantId, "line"))).toBe(`/vendor/cities/${tenantId}`);
  });
});
