import { getDb } from "#db/client.server";
import type { SessionKind } from "../session.server";
import { twoFactorKey } from "./pages.server";
import {
  disableTwoFactor,
  findCredential,
  regenerateRecoveryCodes,
  remainingRecoveryCodes,
  type TwoFactorActor,
} from "./two-factor.server";

/** The account page's two-factor section: status and the remaining recovery codes. */
export async function accountTwoFactor(kind: SessionKind, userId: string) {
  const db = getDb();
  const credential = await findCredential(db, kind, userId);
  if (!credential?.confirmedAt) return { enrolled: false as const };
  return {
    enrolled: true as const,
    since: credential.confirmedAt.toISOString(),
    recoveryCodesLeft: await remainingRecoveryCodes(db, credential.id),
  };
}

export type AccountTwoFactorResult =
  | { intent: "regenerate"; recoveryCodes: string[] }
  | { intent: "disable"; disabled: true }
  | { intent: string; error: string };

/** Regenerate recovery codes / disable (city staff only); both need a current code first. */
export async function accountTwoFactorAction(
  request: Request,
  form: FormData,
  actor: { kind: "vendor"; userId: string } | { kind: "staff"; userId: string; tenantId: string },
  ip: string | null,
): Promise<AccountTwoFactorResult> {
  const intent = String(form.get("intent") ?? "");
  const code = String(form.get("code") ?? "");
  const full = { ...actor, ip } as TwoFactorActor;
  if (intent === "regenerate") {
    const r = await regenerateRecoveryCodes(getDb(), twoFactorKey(), full, code);
    return r.ok ? { intent, recoveryCodes: r.recoveryCodes } : { intent, error: r.message };
  }
  if (intent === "disable") {
    const r = await disableTwoFactor(getDb(), twoFactorKey(), full, code);
    return r.ok ? { intent, disabled: true } : { intent, error: r.message };
  }
  return { intent, error: "操作を選択してください。" };
}
