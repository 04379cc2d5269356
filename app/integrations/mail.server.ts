import nodemailer from "nodemailer";
import { env } from "~/lib/env.server";

/**
 * The one configured outbound mail client. Callers pass rendered content (see emails/); this
 * module knows only SMTP. It never logs: recipients, subjects and bodies (invitation links are
 * credentials) must not end up in log files.
 */

export type OutgoingMail = {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
};

export type Mailer = {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  /** Closes pooled connections; pending sends still finish or fail. */
  close(): void;
};

const LOOPBACK_HOSTS = new Set(["localhost", "::1", "[::1]"]);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export function createMailer(smtpUrl: string, from: string): Mailer {
  const url = new URL(smtpUrl);
  const secure = url.protocol === "smtps:";
  if (!secure && url.protocol !== "smtp:") throw new Error("SMTP_URL must start with smtp:// or smtps://");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const auth = url.username
    ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
    : undefined;

  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 3,
    host,
    port,
    secure,
    auth,
    // The local capture server speaks plain SMTP only; STARTTLS to it would fail, not protect.
    ignoreTLS: !secure && isLoopback(url.hostname),
    // A job must fail and be retried rather than hang on an unresponsive relay.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    logger: false,
    debug: false,
  });

  return {
    async send({ to, subject, text, html }) {
      const info = await transport.sendMail({ from, to, subject, text, ...(html ? { html } : {}) });
      return { messageId: info.messageId };
    },
    close() {
      transport.close();
    },
  };
}

let shared: Mailer | undefined;

/** The process-wide mailer, configured from the environment on first use. */
export function getMailer(): Mailer {
  if (!shared) {
    const { SMTP_URL, MAIL_FROM } = env();
    shared = createMailer(SMTP_URL, MAIL_FROM);
    // Pooled SMTP sockets would otherwise keep react-router-serve and the worker alive on SIGTERM.
    for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, closeMailer);
  }
  return shared;
}

export function closeMailer(): void {
  shared?.close();
  shared = undefined;
}
