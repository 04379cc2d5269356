import { z } from "zod";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { isUuid } from "~/features/services/services.server";
import { parseBirthDate } from "~/features/roster/birth-date";
import { checkStatus, publicLookup, resultKey, subscribeIn, type PublicLookup } from "./check.server";
import { openOptInToken, optInToken } from "./crypto.server";

/**
 * The resident web page's two posts (issue 19): 「確認する」 (number + birth date → the same answer
 * shape as LINE) and 「メールで知らせる」 (the signed token of the row just found + an address).
 * Everything a client can send is answered politely; nothing here throws for bad input.
 */
export type WebAnswer =
  | { kind: "answer"; found: boolean; message: Msg; optInToken: string | null; key: string }
  | { kind: "optIn"; ok: boolean; message: Msg }
  | { kind: "invalid"; errors: Record<string, Msg>; key: string };
/** A catalogue key with its values: the page renders it in its language (ruby for やさしい日本語). */
export type Msg = { key: string; vars?: Record<string, string> };

const email = z.email().max(254);

export async function answerWebForm(
  db: Db,
  input: { tenantId: string; lookupId: string; form: FormData; ip: string | null; lang: string; now: Date },
): Promise<{ lookup: PublicLookup | null; answer: WebAnswer | null }> {
  const lookup = isUuid(input.lookupId) ? await publicLookup(db, input.tenantId, input.lookupId, input.now) : null;
  if (!lookup) return { lookup: null, answer: null };
  const field = (k: string) => {
    const v = input.form.get(k);
    return typeof v === "string" ? v.slice(0, 300) : "";
  };
  if (field("intent") === "email") {
    const rowId = openOptInToken(input.tenantId, field("token"), input.now);
    if (!rowId) return { lookup, answer: { kind: "optIn", ok: false, message: { key: "status:optIn.expired" } } };
    const address = email.safeParse(field("email").normalize("NFKC").trim());
    if (!address.success)
      return { lookup, answer: { kind: "optIn", ok: false, message: { key: "status:optIn.emailInvalid" } } };
    await withTenant(db, input.tenantId, (tx) =>
      subscribeIn(tx, { tenantId: input.tenantId, rowId, lang: input.lang, email: address.data }),
    );
    return { lookup, answer: { kind: "optIn", ok: true, message: { key: "status:optIn.emailDone" } } };
  }
  const key = field("key").trim();
  const birth = parseBirthDate(field("birthDate"));
  const errors: Record<string, Msg> = {};
  if (!key) errors.key = { key: "status:line.askKey", vars: { title: lookup.title, label: lookup.keyLabel } };
  if (!birth.ok) errors.birthDate = { key: "status:line.badBirth" };
  if (!birth.ok || !key) return { lookup, answer: { kind: "invalid", errors, key } };
  const result = await checkStatus(db, {
    tenantId: input.tenantId,
    lookupId: lookup.id,
    key,
    birthDate: birth.date,
    ip: input.ip,
    lang: input.lang,
    now: input.now,
  });
  return {
    lookup,
    answer: {
      kind: "answer",
      found: result.kind === "found",
      message: resultKey(result, lookup),
      optInToken: result.kind === "found" ? optInToken(input.tenantId, result.rowId, input.now) : null,
      key: result.kind === "found" ? "" : key,
    },
  };
}
