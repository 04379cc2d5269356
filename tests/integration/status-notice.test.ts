import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLineEmulator, type LineEmulator } from "../../emulators/line/server";
import { outbox, statusLookupRows, statusSubscriptions, type StatusLookup, type Tenant } from "#db/schema/index";
import type { Tx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { subscribeIn } from "~/features/status-lookup/check.server";
import { statusDialog, statusResponder } from "~/features/status-lookup/conversation.server";
import { sendStatusNotice, type NoticeDeps } from "~/features/status-lookup/notify.server";
import { purgeStatusLookups } from "#jobs/processors/status/status-jobs";
import type { ConversationContext, Incoming } from "~/lib/conversation";
import type { OutgoingMail } from "~/integrations/mail.server";
import { addFriend } from "#tests/factories/broadcasts";
import { emulatorControl, makeLineChannel, type PlainChannel } from "#tests/factories/line";
import { makeStaff } from "#tests/factories/staff";
import { importCsv, makeLookup } from "#tests/factories/status-lookup";
import { makeTenant } from "#tests/factories/tenants";
import { testDbs } from "#tests/setup/db";

/**
 * Issue 19, items 3–4: the LINE dialog as the engine calls it, opt-in, and the change notice through
 * the LINE emulator — once per change, never to a blocked friend, not after the lookup closed.
 */
const dbs = testDbs();
const key = Buffer.alloc(32, 7);
const NOW = new Date("2026-12-08T03:00:00Z");
const U = (n: number) => `U${n.toString(16).padStart(32, "0")}`;
let emu: LineEmulator;
let ctl: ReturnType<typeof emulatorControl>;
let city: Tenant;
let channel: PlainChannel;
let staffId: string;
let lookup: StatusLookup;
let deps: NoticeDeps;
const mails: OutgoingMail[] = [];

beforeAll(async () => {
  emu = await startLineEmulator({ port: 0 });
  ctl = emulatorControl(emu.url);
  city = await makeTenant(dbs.appDb, { name: "通知テスト市" });
  channel = await makeLineChannel(dbs.appDb, key, city.id);
  await ctl.registerChannel(channel);
  staffId = (await makeStaff(dbs.appDb, { tenantId: city.id })).user.id;
  lookup = await makeLookup(dbs.appDb, city.id, staffId);
  await importCsv(dbs.appDb, city.id, lookup.id, staffId, "申請番号,生年月日,状況\n12345678,1960-01-01,受付済み\n");
  await addFriend(dbs.appDb, city.id, { lineUserId: U(1) });
  await addFriend(dbs.appDb, city.id, { lineUserId: U(2), status: "blocked" });
  deps = {
    db: dbs.appDb,
    key,
    appOrigin: "https://madoguchi.example",
    line: { apiBase: emu.url, dataApiBase: emu.url, limiter: null, retry: { sleep: async () => {} } },
    mailer: { send: async (m) => (mails.push(m), { messageId: String(mails.length) }), close() {} },
  };
});
afterAll(async () => {
  await emu.close();
  await dbs.close();
});

const say = (text: string): Incoming => ({ kind: "text", text, normalised: text.normalize("NFKC").trim() });
const textOf = (m: unknown) => (m as { text: string }).text;

function inCity<T>(lineUserId: string, fn: (ctx: ConversationContext, tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(dbs.appDb, city.id, (tx) =>
    fn(
      {
        tx,
        city: {
          tenantId: city.id,
          slug: city.slug,
          name: city.name,
          areas: [],
          topics: [],
          contact: null,
          liffId: null,
        },
        lineUserId,
        lang: "ja",
        area: null,
        appOrigin: "https://madoguchi.example",
        now: NOW,
      },
      tx,
    ),
  );
}

/** Runs the dialog from 「申請状況」 through the given messages, as the engine would. */
async function converse(lineUserId: string, inputs: Incoming[]) {
  return inCity(lineUserId, async (ctx) => {
    const reply = await statusResponder.respond(say("申請状況"), ctx);
    expect(reply?.startDialog?.dialog).toBe("status-lookup");
    let step = await statusDialog.start(ctx, reply!.startDialog!.data);
    const out = [step.messages.map(textOf)];
    for (const input of inputs) {
      if (!step.state) break;
      step = await statusDialog.step(input, step.state, ctx);
      out.push(step.messages.map(textOf));
    }
    return { out, state: step.state };
  });
}

describe("LINE dialog and notices", () => {
  it("a wrong birth date and an unknown number answer the same", async () => {
    const wrongDate = await converse(U(3), [say("12345678"), say("1960年1月2日")]);
    const unknown = await converse(U(3), [say("87654321"), say("1960年1月1日")]);
    expect(wrongDate.out.at(-1)).toEqual(unknown.out.at(-1));
    expect(wrongDate.out.at(-1)![0]).toContain("一致しませんでした");
  });

  it("answers the status, opts in, and a change is pushed once, not to a blocked friend", async () => {
    const { out } = await converse(U(1), [
      say("１２３４５６７８"),
      say("昭和35年1月1日"),
      { kind: "postback", data: "status:opt:yes" },
    ]);
    expect(out[0]![0]).toContain("申請番号を送ってください");
    expect(out[2]![0]).toContain("受付済み");
    expect(out[3]![0]).toContain("お知らせします");
    const [row] = await dbs.ownerDb.select().from(statusLookupRows).where(eq(statusLookupRows.lookupId, lookup.id));
    // A friend who opted in and blocked the account since, and an e-mail from the web.
    await withTenant(dbs.appDb, city.id, async (tx) => {
      await subscribeIn(tx, { tenantId: city.id, rowId: row!.id, lang: "ja", lineUserId: U(2) });
      await subscribeIn(tx, { tenantId: city.id, rowId: row!.id, lang: "en", email: "resident@example.jp" });
    });
    expect(
      await dbs.ownerDb.select().from(statusSubscriptions).where(eq(statusSubscriptions.rowId, row!.id)),
    ).toHaveLength(3);

    const { importId } = await importCsv(
      dbs.appDb,
      city.id,
      lookup.id,
      staffId,
      "申請番号,生年月日,状況,日付\n12345678,1960-01-01,振込予定,2027-01-15\n",
    );
    const [notice] = await dbs.ownerDb
      .select()
      .from(outbox)
      .where(and(eq(outbox.tenantId, city.id), eq(outbox.jobName, "send-status-notice")));
    const payload = notice!.payload as { tenantId: string; changeId: string };
    expect(importId).toBeTruthy();
    expect(await sendStatusNotice(deps, payload, NOW)).toBe("sent 2");
    // The job repeated (a retry, a duplicate delivery): nobody is told twice.
    expect(await sendStatusNotice(deps, payload, NOW)).toBe("sent 0");
    const pushes = (await ctl.sent(channel.channelId)).filter((m) => m.kind === "push");
    expect(pushes.map((p) => p.to)).toEqual([[U(1)]]);
    expect(JSON.stringify(pushes[0]!.messages)).toContain("振込予定日は令和9年1月15日");
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: "resident@example.jp" });
    expect(mails[0]!.text).toContain("Your application status has changed");
  });

  it("after the lookup closes nothing is pushed, and rows are purged after the retention", async () => {
    const later = new Date("2027-04-02T03:00:00Z");
    await importCsv(dbs.appDb, city.id, lookup.id, staffId, "申請番号,生年月日,状況\n12345678,1960-01-01,審査中\n");
    const notices = await dbs.ownerDb
      .select()
      .from(outbox)
      .where(and(eq(outbox.tenantId, city.id), eq(outbox.jobName, "send-status-notice")));
    expect(notices).toHaveLength(2);
    expect(await sendStatusNotice(deps, notices[1]!.payload as { tenantId: string; changeId: string }, later)).toBe(
      "closed",
    );
    expect(await purgeStatusLookups({ db: dbs.appDb }, new Date("2027-05-01T03:00:00Z"))).toMatchObject({ rows: 0 });
    await purgeStatusLookups({ db: dbs.appDb }, new Date("2027-07-01T03:00:00Z"));
    expect(await dbs.ownerDb.select().from(statusLookupRows).where(eq(statusLookupRows.lookupId, lookup.id))).toEqual(
      [],
    );
  });
});
