import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLineEmulator } from "../../emulators/line/server";
import type { Db } from "#db/client.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { emulatorControl, makeLineChannel } from "#tests/factories/line";
import { makeTenant } from "#tests/factories/tenants";
import { readMailbox, startSmtpCapture } from "#tests/fakes/smtp-capture";
import { relayAndProcess } from "#tests/setup/jobs";

/**
 * One city wired for resident notices, for tests that follow a notice from the outbox to where it
 * lands: an SMTP capture server writing to a temp mailbox, the LINE emulator with the city's
 * Messaging API channel (and a LINE Login secret, for LIFF) registered, and the real relay + BullMQ
 * workers pointed at both. `close()` stops the servers and removes the mailbox; the caller closes
 * its own databases and Redis.
 */
export async function startNoticeWorld(appDb: Db, opts: { cityName: string; loginChannelSecret: string }) {
  const key = masterKey(env().MADOGUCHI_MASTER_KEY);
  const mailDir = mkdtempSync(join(tmpdir(), "mdg-notices-"));
  const smtp = await startSmtpCapture({ port: 0, dir: mailDir });
  const emu = await startLineEmulator({ port: 0 });
  const ctl = emulatorControl(emu.url);
  const line: LineApiConfig = {
    apiBase: emu.url,
    dataApiBase: emu.url,
    limiter: null,
    retry: { sleep: async () => {} },
  };
  const city = await makeTenant(appDb, { name: opts.cityName });
  const channel = await makeLineChannel(appDb, key, city.id);
  await ctl.registerChannel({ ...channel, loginChannelSecret: opts.loginChannelSecret });
  return {
    key,
    mailDir,
    smtp,
    emu,
    ctl,
    line,
    city,
    channel,
    /** Relays this city's outbox and runs the real workers until every job has settled. */
    processAll: () => relayAndProcess(appDb, { smtpPort: smtp.port, key, tenantId: city.id, line }),
    mailsTo: async (email: string) => (await readMailbox(mailDir)).filter((m) => m.to.includes(email)),
    pushesTo: async (userId: string) => (await ctl.sent(channel.channelId, userId)).filter((m) => m.kind === "push"),
    async close() {
      await smtp.close();
      await emu.close();
      rmSync(mailDir, { recursive: true, force: true });
    },
  };
}

export type NoticeWorld = Awaited<ReturnType<typeof startNoticeWorld>>;
