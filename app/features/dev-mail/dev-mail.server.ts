import { type CapturedMail, clearMailbox, isCapturedMailId, readMailbox } from "#tests/fakes/smtp-capture";
import { formatTokyo } from "~/lib/japan-time";

/**
 * Use-cases of the development mailbox (/dev/mail): read what the embedded SMTP capture server
 * stored, and empty it. Everything the page shows is prepared here (times in Japan time, the text
 * body split into link and non-link pieces) so the route module stays thin and the page renders
 * the same on the server and in the browser.
 */

export type MailboxDeps = { dir: string };

export type MailSummary = { id: string; receivedAtText: string; to: string[]; subject: string };

/** A piece of a text body: plain text, or a link the page renders as <a>. */
export type TextSegment = { text: string; href?: string };

export type MailDetail = {
  id: string;
  receivedAtText: string;
  from: string;
  to: string[];
  subject: string;
  textSegments: TextSegment[];
  html: string | null;
};

export type MailboxView = {
  mails: MailSummary[];
  selected: MailDetail | null;
  /** An id was asked for but no such mail exists (deleted, or a stale link). */
  notFound: boolean;
};

/** More than this many mails are never useful on a dev page and would make it slow. */
const LIST_LIMIT = 200;

export async function loadMailbox(
  { dir }: MailboxDeps,
  { selectedId }: { selectedId: string | null },
): Promise<MailboxView> {
  const all = await readMailbox(dir);
  const mails = all.slice(0, LIST_LIMIT).map(toSummary);
  // Without an id, show the newest mail: the usual question is "what did the app just send?".
  const wanted =
    selectedId === null ? all[0] : isCapturedMailId(selectedId) ? all.find((m) => m.id === selectedId) : undefined;
  return {
    mails,
    selected: wanted ? toDetail(wanted) : null,
    notFound: selectedId !== null && !wanted,
  };
}

export async function clearDevMailbox({ dir }: MailboxDeps): Promise<void> {
  await clearMailbox(dir);
}

export function formatTokyoTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? "" : formatTokyo(ms, "yyyy/MM/dd HH:mm:ss");
}

function toSummary(mail: CapturedMail): MailSummary {
  return { id: mail.id, receivedAtText: formatTokyoTime(mail.receivedAt), to: mail.to, subject: mail.subject };
}

function toDetail(mail: CapturedMail): MailDetail {
  return {
    id: mail.id,
    receivedAtText: formatTokyoTime(mail.receivedAt),
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    textSegments: linkifyText(mail.text),
    html: mail.html,
  };
}

const URL_PATTERN = /https?:\/\/[^\s<>"'`、。「」『』（）【】]+/g;
// Sentence punctuation right after a URL belongs to the sentence, not to the URL.
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

/** Only http(s) URLs become links, so a mail can never smuggle a javascript: href into the page. */
export function linkifyText(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, "");
    if (!url || !URL.canParse(url)) continue;
    if (match.index > last) segments.push({ text: text.slice(last, match.index) });
    segments.push({ text: url, href: url });
    last = match.index + url.length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}
