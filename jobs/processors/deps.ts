import type { Db } from "#db/client.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import type { Mailer } from "~/integrations/mail.server";

/** What every mail-sending processor gets from the worker. */
export type MailDeps = { db: Db; mailer: Mailer; key: Buffer; appOrigin: string };

/** A notice to a resident goes by LINE push when linked, by e-mail otherwise: both channels. */
export type NoticeDeps = MailDeps & { line?: LineApiConfig };
