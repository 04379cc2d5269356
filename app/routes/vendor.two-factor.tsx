import { Link, redirect } from "react-router";
import type { Route } from "./+types/vendor.two-factor";
import { passwordSession } from "~/auth/guards.server";
import { RecoveryCodes, TwoFactorEnrolForm } from "~/auth/components/two-factor";
import { clientAddress } from "~/lib/client-address.server";
import { enrolmentView, NO_STORE } from "~/auth/two-factor/enrolment-view.server";
import { twoFactorKey } from "~/auth/two-factor/pages.server";
import { beginEnrolment, confirmEnrolment, secondFactorState } from "~/auth/two-factor/two-factor.server";
import { PublicLayout } from "~/components/layouts/public-layout";
import { getDb } from "#db/client.server";
import { safeNext } from "~/features/staff/staff.schemas";
import { readForm } from "~/lib/form-body.server";

// Mandatory enrolment for vendor staff, reached right after the password step. Outside the vendor
// layout (whose guard sends here), so a password-only session may open it — and nothing else.
async function session(request: Request) {
  const s = await passwordSession(request, "vendor");
  if (!s || s.kind !== "vendor") throw redirect("/vendor/login");
  return s;
}

export async function loader({ request }: Route.LoaderArgs) {
  const s = await session(request);
  const next = new URL(request.url).searchParams.get("next") ?? "";
  const state = await secondFactorState(getDb(), "vendor", s.user.id, s.sessionId);
  if (state.enrolled && !state.verified) throw redirect(`/vendor/login/verify?next=${encodeURIComponent(next)}`);
  // Enrolled and verified (e.g. the page re-rendered after enrolling): show the codes or a link on, no redirect.
  if (state.enrolled) return { next: safeNext(next, "/vendor"), enrolment: null };
  const pending = (await beginEnrolment(getDb(), twoFactorKey(), "vendor", s.user.id))!;
  return { next, enrolment: await enrolmentView("窓口 Madoguchi ベンダー", s.user.email, pending.secret) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const s = await session(request);
  const form = await readForm(request);
  const next = safeNext(String(form.get("next") ?? ""), "/vendor");
  const result = await confirmEnrolment(
    getDb(),
    twoFactorKey(),
    { kind: "vendor", userId: s.user.id, ip: clientAddress(context) },
    { sessionId: s.sessionId, code: String(form.get("code") ?? "") },
  );
  return result.ok
    ? { ok: true as const, recoveryCodes: result.recoveryCodes, next }
    : { ok: false as const, error: result.message };
}

export const headers: Route.HeadersFunction = () => NO_STORE;
export const meta: Route.MetaFunction = () => [{ title: "2段階認証の設定 | 窓口 ベンダーコンソール" }];

export default function VendorEnrol({ loaderData, actionData }: Route.ComponentProps) {
  const done = actionData?.ok ? actionData : null;
  return (
    <PublicLayout>
      <p className="text-lg">窓口 ベンダーコンソール</p>
      <h1 className="mt-1 text-3xl font-bold">{done ? "2段階認証を設定しました" : "2段階認証の設定"}</h1>
      {done ? (
        <div className="mt-6">
          <RecoveryCodes codes={done.recoveryCodes} continueTo={done.next} />
        </div>
      ) : !loaderData.enrolment ? (
        <p className="mt-6">
          2段階認証は設定済みです。<Link to={loaderData.next}>コンソールへ進む</Link>
        </p>
      ) : (
        <>
          <p className="mt-4">
            運営事業者のアカウントは、すべての自治体のデータを扱えるため、2段階認証が必須です。設定が終わるまでコンソールは使えません。
          </p>
          <div className="mt-6">
            <TwoFactorEnrolForm
              enrolment={loaderData.enrolment}
              next={loaderData.next}
              error={actionData && !actionData.ok ? actionData.error : undefined}
            />
          </div>
        </>
      )}
    </PublicLayout>
  );
}
