import { clearMailbox } from "../../fakes/smtp-capture";
import { MAILBOX_DIR } from "./stack";

/**
 * Runs once per `playwright test`, after the web server (the demo stack) is up and before any spec.
 * DEMO_FRESH=1 recreates the database but leaves earlier runs' captured mail in the mailbox
 * directory; an e2e run starts with an empty mailbox so /dev/mail and latestMailTo see only its own
 * mail. clearMailbox keeps the directory, which the running SMTP capture writes into.
 */
export default async function globalSetup(): Promise<void> {
  await clearMailbox(MAILBOX_DIR);
}
