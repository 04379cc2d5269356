import { redirect } from "react-router";
import { getDb } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import type { Tenant } from "#db/schema/index";
import { findMembership } from "~/features/staff/staff.server";
import { safeNext } from "~/features/staff/staff.schemas";
import { masterKey } from "~/lib/crypto.server";
import { env } from "~/lib/env.server";
import { eq } from "drizzle-orm";
import { sessions } from "#db/schema/index";
import { passwordSession } from "../guards.server";
import { invalidateSession } from "../session.server";
import { secondFactorState, verifySecondFactor, type TwoFactorActor } from "./two-factor.server";
import { readForm } from "~/lib/form-body.server";

/**
 * Loader and action halves of the second-step pages, shared by /vendor/login/verify and
 * /c/:city/admin/login/verify so the two cannot drift apart. Routes stay thin.
 */
export const twoFactorKey = () => masterKey(env().MADOGUCHI_MASTER_KEY);

/** A password-only session must pass the second step within this time, or log in again. */
export const SECOND_STEP_WINDOW_MS = 10 * 60 * 1000;

type Where =
  | { kind: "vendor"; home: string; login: string; enrol?: string }
  | { kind: "staff"; tenant: Tenant; home: string; login: string };

async function sessionFor(request: Request, where: Where, now = new Date()) {
  const session = await passwordSession(request, where.kind);
  if (!session) throw redirect(where.login);
  // A stolen password-only cookie is not a standing invitation to guess codes: it expires soon.
  const [row] = await getDb()
    .select({ createdAt: sessions.createdAt })
    .from(sessions)
    .where(eq(sessions.id, session.sessionId));
  const state = await secondFactorState(getDb(), where.kind, session.user.id, session.sessionId);
  if (state.enrolled && !state.verified && row && now.getTime() - row.createdAt.getTime() > SECOND_STEP_WINDOW_MS) {
    await invalidateSession(getDb(), session.sessionId);
    throw redirect(where.login);
  }
  if (where.kind === "staff") {
    const member = await withTenant(getDb(), where.tenant.id, (tx) =>
      findMembership(tx, where.tenant.id, session.user.id),
    );
    if (!member) throw redirect(where.login);
  }
  return session;
}

export async function verifyPageLoader(request: Request, where: Where) {
  const session = await sessionFor(request, where);
  const next = new URL(request.url).searchParams.get("next") ?? "";
  const state = await secondFactorState(getDb(), where.kind, session.user.id, session.sessionId);
  if (!state.enrolled && where.kind === "vendor" && where.enrol)
    throw redirect(`${where.enrol}?next=${encodeURIComponent(next)}`);
  if (!state.enrolled || state.verified) throw redirect(safeNext(next, where.home));
  return { next };
}

export async function verifyPageAction(request: Request, where: Where, ip: string | null) {
  const session = await sessionFor(request, where);
  const form = await readForm(request);
  const code = String(form.get("code") ?? "");
  const next = String(form.get("next") ?? "");
  const actor: TwoFactorActor =
    where.kind === "vendor"
      ? { kind: "vendor", userId: session.user.id, ip }
      : { kind: "staff", userId: session.user.id, tenantId: where.tenant.id, ip };
  const result = await verifySecondFactor(getDb(), twoFactorKey(), actor, { sessionId: session.sessionId, code });
  if (!result.ok) return { error: result.message };
  throw redirect(safeNext(next, where.home));
}
