import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { lineChannels, type LineChannel } from "#db/schema/index";
import { decryptString, encryptString } from "~/lib/crypto.server";

/**
 * A city's LINE credentials with envelope encryption (ADR 008): each row has its own random data
 * key, wrapped with the master key; secret and token are encrypted with that data key. Every
 * associated data names the row id, so a ciphertext (or a wrapped key) copied into another city's
 * row does not decrypt. Rotating the master key then means re-wrapping one small key per city.
 */
const ad = (rowId: string, part: "dek" | "secret" | "token" | "login_secret") => `line_channels:${rowId}:${part}`;

export type ChannelCredentials = {
  id: string;
  tenantId: string;
  channelId: string;
  loginChannelId: string | null;
  liffId: string | null;
  botUserId: string | null;
  channelSecret: string;
  channelAccessToken: string;
  /** LINE Login channel secret (issues the LIFF server API's tokens); null when never entered. */
  loginChannelSecret: string | null;
};

export type ChannelSettingsInput = {
  channelId: string;
  /**
   * Absent = keep the stored one (the admin's main form does not carry it: the login channel has its
   * own form, checked live at LINE); null or empty = none.
   */
  loginChannelId?: string | null;
  liffId?: string | null;
  botUserId?: string | null;
  /** Empty or absent = keep the stored one (the admin form never shows the current value). */
  channelSecret?: string | null;
  channelAccessToken?: string | null;
  /** Same rule: empty or absent keeps the stored one, unless the login channel id changes. */
  loginChannelSecret?: string | null;
};

export type SaveResult =
  | { ok: true; channel: MaskedChannel; changed: string[] }
  | { ok: false; field: "channelSecret" | "channelAccessToken"; message: string };

const last4 = (v: string) => v.slice(-4);

function encryptRow(key: Buffer, rowId: string, secret: string, token: string, loginSecret: string | null) {
  const dataKey = randomBytes(32);
  return {
    dataKeyEnc: encryptString(key, dataKey.toString("base64"), ad(rowId, "dek")),
    secretEnc: encryptString(dataKey, secret, ad(rowId, "secret")),
    tokenEnc: encryptString(dataKey, token, ad(rowId, "token")),
    secretLast4: last4(secret),
    tokenLast4: last4(token),
    loginSecretEnc: loginSecret ? encryptString(dataKey, loginSecret, ad(rowId, "login_secret")) : null,
    loginSecretLast4: loginSecret ? last4(loginSecret) : null,
  };
}

/** Throws when the row was tampered with or copied from another row (GCM tag mismatch). */
export function decryptChannelRow(key: Buffer, row: LineChannel): ChannelCredentials {
  const dataKey = Buffer.from(decryptString(key, row.dataKeyEnc, ad(row.id, "dek")), "base64");
  return {
    id: row.id,
    tenantId: row.tenantId,
    channelId: row.channelId,
    loginChannelId: row.loginChannelId,
    liffId: row.liffId,
    botUserId: row.botUserId,
    channelSecret: decryptString(dataKey, row.secretEnc, ad(row.id, "secret")),
    channelAccessToken: decryptString(dataKey, row.tokenEnc, ad(row.id, "token")),
    loginChannelSecret: row.loginSecretEnc
      ? decryptString(dataKey, row.loginSecretEnc, ad(row.id, "login_secret"))
      : null,
  };
}

export async function getChannelRow(tx: DbOrTx, tenantId: string): Promise<LineChannel | null> {
  const [row] = await tx.select().from(lineChannels).where(eq(lineChannels.tenantId, tenantId));
  return row ?? null;
}

/**
 * Creates or replaces the city's channel settings inside the caller's withTenant transaction.
 * A fresh data key is drawn on every save, so a leaked old data key is useless after a rotation.
 */
export async function saveChannelCredentials(
  tx: DbOrTx,
  key: Buffer,
  tenantId: string,
  input: ChannelSettingsInput,
): Promise<SaveResult> {
  const existing = await getChannelRow(tx, tenantId);
  const current = existing ? decryptChannelRow(key, existing) : null;
  const secret = input.channelSecret?.trim() || current?.channelSecret;
  const token = input.channelAccessToken?.trim() || current?.channelAccessToken;
  if (!secret) return { ok: false, field: "channelSecret", message: "チャネルシークレットを入力してください。" };
  if (!token)
    return { ok: false, field: "channelAccessToken", message: "チャネルアクセストークンを入力してください。" };

  const loginChannelId =
    input.loginChannelId === undefined ? (current?.loginChannelId ?? null) : input.loginChannelId || null;
  const loginSecret = loginChannelId ? loginSecretFor(current, loginChannelId, input.loginChannelSecret) : null;

  const plain = {
    channelId: input.channelId,
    loginChannelId,
    liffId: input.liffId || null,
    botUserId: input.botUserId || null,
  };
  // What changed, by name only, for the audit log (never the values of secrets).
  const changed = current
    ? [
        ...(Object.keys(plain) as (keyof typeof plain)[]).filter((k) => (current[k] ?? null) !== plain[k]),
        ...(secret !== current.channelSecret ? ["channelSecret"] : []),
        ...(token !== current.channelAccessToken ? ["channelAccessToken"] : []),
        ...(loginSecret !== current.loginChannelSecret ? ["loginChannelSecret"] : []),
      ]
    : ["created"];

  const rowId = existing?.id ?? randomUUID();
  const enc = encryptRow(key, rowId, secret, token, loginSecret);
  // A new token or channel invalidates the last connection test.
  const resetCheck = changed.some((c) => c === "created" || c === "channelAccessToken" || c === "channelId");
  const loginChanged = current
    ? changed.some((c) => c === "loginChannelId" || c === "loginChannelSecret")
    : loginSecret !== null;
  const loginSecretUpdatedAt = loginSecret
    ? loginChanged
      ? { loginSecretUpdatedAt: sql`now()` }
      : {}
    : { loginSecretUpdatedAt: null };
  let row: LineChannel;
  if (existing) {
    [row] = (await tx
      .update(lineChannels)
      .set({
        ...plain,
        ...enc,
        ...loginSecretUpdatedAt,
        updatedAt: sql`now()`,
        ...(resetCheck ? { checkedAt: null, checkError: null } : {}),
      })
      .where(and(eq(lineChannels.tenantId, tenantId), eq(lineChannels.id, rowId)))
      .returning()) as [LineChannel];
  } else {
    [row] = (await tx
      .insert(lineChannels)
      .values({ id: rowId, tenantId, ...plain, ...enc, ...loginSecretUpdatedAt })
      .returning()) as [LineChannel];
  }
  return { ok: true, channel: maskedChannel(row), changed };
}

/**
 * The LINE Login channel secret to use for `loginChannelId`: the one typed in, else the stored one if
 * it belongs to the same login channel (a secret belongs to one channel: a new id without a new
 * secret has none). Blank = not typed (the forms never show the stored secret).
 */
export function loginSecretFor(
  stored: Pick<ChannelCredentials, "loginChannelId" | "loginChannelSecret"> | null,
  loginChannelId: string,
  typed?: string | null,
): string | null {
  return typed?.trim() || (stored && stored.loginChannelId === loginChannelId ? stored.loginChannelSecret : null);
}

/** The city's credentials in clear, for the outbound client and the webhook; null when not set up. */
export async function loadChannelCredentials(
  tx: DbOrTx,
  key: Buffer,
  tenantId: string,
): Promise<ChannelCredentials | null> {
  const row = await getChannelRow(tx, tenantId);
  return row ? decryptChannelRow(key, row) : null;
}

/** Same, in its own withTenant transaction (jobs and the webhook). */
export function loadChannelCredentialsFor(db: Db, key: Buffer, tenantId: string) {
  return withTenant(db, tenantId, (tx) => loadChannelCredentials(tx, key, tenantId));
}

export type MaskedChannel = {
  channelId: string;
  loginChannelId: string | null;
  liffId: string | null;
  botUserId: string | null;
  secretMasked: string;
  tokenMasked: string;
  /** null when no login channel secret is stored. */
  loginSecretMasked: string | null;
  loginSecretUpdatedAt: Date | null;
  checkedAt: Date | null;
  checkError: string | null;
  updatedAt: Date;
};

/** What the admin page may show: ids in clear, secrets as ••••last4 only. */
export function maskedChannel(row: LineChannel): MaskedChannel {
  return {
    channelId: row.channelId,
    loginChannelId: row.loginChannelId,
    liffId: row.liffId,
    botUserId: row.botUserId,
    secretMasked: `••••${row.secretLast4}`,
    tokenMasked: `••••${row.tokenLast4}`,
    loginSecretMasked: row.loginSecretLast4 ? `••••${row.loginSecretLast4}` : null,
    loginSecretUpdatedAt: row.loginSecretUpdatedAt,
    checkedAt: row.checkedAt,
    checkError: row.checkError,
    updatedAt: row.updatedAt,
  };
}

export async function recordConnectionCheck(
  tx: DbOrTx,
  tenantId: string,
  result: { error: string | null; botUserId?: string },
) {
  await tx
    .update(lineChannels)
    .set({
      checkedAt: sql`now()`,
      checkError: result.error,
      ...(result.botUserId ? { botUserId: result.botUserId } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(lineChannels.tenantId, tenantId));
}
