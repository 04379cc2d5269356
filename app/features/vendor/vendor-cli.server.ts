import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { createDb, type Db } from "#db/client.server";
import { twoFactorCredentials, vendorUsers } from "#db/schema/index";
import { invalidateAllSessions } from "~/auth/session.server";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { emailSchema } from "~/features/staff/staff.schemas";
import { formatDateTimeJa } from "~/lib/japan-time";
import { masterKey } from "~/lib/crypto.server";
import { EnvError, parseEnv } from "~/lib/env.server";
import { createVendorInvitation, vendorInvitationUrl } from "./vendor-invitations.server";
import { vendorInviteSchema } from "./vendor-staff.schemas";

/**
 * The ops commands that must work before any vendor can log in (ADR 023): `npm run vendor:create`
 * and `npm run vendor:reset-2fa`. The logic lives here so tests call it directly; scripts/*.ts only
 * hand over argv. Each command returns its output and exit code instead of printing or exiting.
 */
export type CommandResult = { exitCode: number; stdout: string[]; stderr: string[] };
const fail = (...lines: string[]): CommandResult => ({ exitCode: 1, stdout: [], stderr: lines });

function parse(
  argv: string[],
  options: Record<string, { type: "string" }>,
  usage: string,
): { ok: true; values: Record<string, string | undefined> } | { ok: false; result: CommandResult } {
  try {
    const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
    return { ok: true, values: values as Record<string, string | undefined> };
  } catch (e) {
    return { ok: false, result: fail(`エラー: ${e instanceof Error ? e.message : String(e)}`, usage) };
  }
}

const CREATE_USAGE =
  '使い方 (usage): npm run vendor:create -- --email a@example.jp --name "運営 花子"（空白を含む名前は引用符で囲む / quote a name with spaces）';
const RESET_USAGE = "使い方 (usage): npm run vendor:reset-2fa -- --email a@example.jp";

/** Creates a one-time invitation link (72 h) for a new vendor account and prints it; no e-mail is sent. */
export async function vendorCreateCommand(
  db: Db,
  ctx: { key: Buffer; appOrigin: string; osUser: string },
  argv: string[],
  now = new Date(),
): Promise<CommandResult> {
  const args = parse(argv, { email: { type: "string" }, name: { type: "string" } }, CREATE_USAGE);
  if (!args.ok) return args.result;
  const parsed = vendorInviteSchema.safeParse({ email: args.values.email ?? "", displayName: args.values.name ?? "" });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(`エラー (${issue.path[0] === "displayName" ? "--name" : "--email"}): ${issue.message}`, CREATE_USAGE);
  }
  const created = await createVendorInvitation(
    db,
    ctx.key,
    { ...parsed.data, invitedBy: { kind: "cli", osUser: ctx.osUser }, mail: false },
    now,
  );
  if (!created.ok) return fail(`エラー: ${created.message} (a vendor account with this e-mail already exists)`);
  const url = vendorInvitationUrl(ctx.appOrigin, created.token);
  return {
    exitCode: 0,
    stdout: [
      `運営スタッフ ${parsed.data.displayName} <${parsed.data.email}> の招待リンクを作成しました (invitation created).`,
      `有効期限 (expires): ${formatDateTimeJa(created.expiresAt)}（1回限り / single use）`,
      "このリンクを本人に安全な方法で渡してください。パスワードを設定したあと、2段階認証の登録に進みます。",
      url,
    ],
    stderr: [],
  };
}

export type OperatorResetResult =
  { ok: true; vendorUserId: string; hadCredential: boolean; sessionsEnded: number } | { ok: false; message: string };

/**
 * Break-glass for the last vendor who lost their authenticator and recovery codes (nobody left to
 * do the colleague reset of ADR 015): the credential (its recovery codes cascade) and every session
 * go in one transaction, audited with who ran it at the shell. The next login enrols again.
 */
export async function resetVendorTwoFactorByOperator(
  db: Db,
  input: { email: string; osUser: string },
): Promise<OperatorResetResult> {
  const [target] = await db.select().from(vendorUsers).where(eq(vendorUsers.email, input.email.toLowerCase()));
  if (!target)
    return {
      ok: false,
      message: `エラー: 運営スタッフ ${input.email} は見つかりません (no vendor account with this e-mail).`,
    };
  return db.transaction(async (tx) => {
    const deleted = await tx
      .delete(twoFactorCredentials)
      .where(eq(twoFactorCredentials.vendorUserId, target.id))
      .returning({ confirmedAt: twoFactorCredentials.confirmedAt });
    const sessionsEnded = await invalidateAllSessions(tx, "vendor", target.id);
    await recordVendorAudit(tx, {
      vendorUserId: null, // no vendor acted: an operator at the shell
      action: "vendor.two_factor.reset",
      detail: {
        via: "cli",
        osUser: input.osUser,
        targetVendorUserId: target.id,
        hadCredential: deleted.length > 0,
        wasConfirmed: deleted[0]?.confirmedAt != null,
        sessionsEnded,
      },
    });
    return { ok: true as const, vendorUserId: target.id, hadCredential: deleted.length > 0, sessionsEnded };
  });
}

export async function vendorReset2faCommand(db: Db, ctx: { osUser: string }, argv: string[]): Promise<CommandResult> {
  const args = parse(argv, { email: { type: "string" } }, RESET_USAGE);
  if (!args.ok) return args.result;
  const email = emailSchema.safeParse(args.values.email ?? "");
  if (!email.success) return fail(`エラー (--email): ${email.error.issues[0]!.message}`, RESET_USAGE);
  const r = await resetVendorTwoFactorByOperator(db, { email: email.data, osUser: ctx.osUser });
  if (!r.ok) return fail(r.message);
  return {
    exitCode: 0,
    stdout: [
      r.hadCredential
        ? `${email.data} の2段階認証をリセットしました (two-factor reset). ログイン中の端末 ${r.sessionsEnded} 件をログアウトさせました。`
        : `${email.data} は2段階認証を設定していませんでした (no credential). ログイン中の端末 ${r.sessionsEnded} 件をログアウトさせました。`,
      "次回のログイン時に、認証アプリの登録からやり直します。ベンダー監査ログに記録しました。",
    ],
    stderr: [],
  };
}

/** The scripts' entry: configuration from the environment (like the web app), one DB connection, exit code. */
export async function runVendorCli(command: "create" | "reset-2fa", argv: string[]) {
  let config;
  try {
    config = parseEnv(process.env);
  } catch (e) {
    if (!(e instanceof EnvError)) throw e;
    console.error(`エラー: 設定が正しくありません (invalid configuration): ${e.message}`);
    process.exitCode = 1;
    return;
  }
  const { db, sql } = createDb(config.DATABASE_URL, 1);
  const osUser = process.env.SUDO_USER || userInfo().username;
  try {
    const result =
      command === "create"
        ? await vendorCreateCommand(
            db,
            { key: masterKey(config.MADOGUCHI_MASTER_KEY), appOrigin: config.APP_ORIGIN, osUser },
            argv,
          )
        : await vendorReset2faCommand(db, { osUser }, argv);
    for (const line of result.stdout) console.log(line);
    for (const line of result.stderr) console.error(line);
    process.exitCode = result.exitCode;
  } catch (e) {
    console.error(
      `エラー: データベースの操作に失敗しました (database error): ${e instanceof Error ? e.message : String(e)}`,
    );
    process.exitCode = 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
