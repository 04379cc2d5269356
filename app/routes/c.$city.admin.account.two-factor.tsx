import { Link } from "react-router";
import type { Route } from "./+types/c.$city.admin.account.two-factor";
import { RecoveryCodes, TwoFactorEnrolForm } from "~/auth/components/two-factor";
import { clientAddress } from "~/lib/client-address.server";
import { enrolmentView, NO_STORE } from "~/auth/two-factor/enrolment-view.server";
import { twoFactorKey } from "~/auth/two-factor/pages.server";
import { beginEnrolment, confirmEnrolment } from "~/auth/two-factor/two-factor.server";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { staffContext, tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

// Optional enrolment for city staff (inside the admin guard: a full session is already required).
export async function loader({ context }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const staff = context.get(staffContext);
  const pending = await beginEnrolment(getDb(), twoFactorKey(), "staff", staff.user.id);
  // Already enrolled: no redirect here, or the page that shows the recovery codes once (the
  // action's answer, re-rendered with this loader) would vanish before they are written down.
  if (!pending) return { slug: tenant.slug, enrolment: null };
  return {
    slug: tenant.slug,
    enrolment: await enrolmentView(`窓口 Madoguchi ${tenant.name}`, staff.user.email, pending.secret),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const staff = context.get(staffContext);
  const form = await readForm(request);
  const actor = { kind: "staff", userId: staff.user.id, tenantId: tenant.id, ip: clientAddress(context) } as const;
  const result = await confirmEnrolment(getDb(), twoFactorKey(), actor, {
    sessionId: staff.sessionId,
    code: String(form.get("code") ?? ""),
  });
  return result.ok
    ? { ok: true as const, recoveryCodes: result.recoveryCodes }
    : { ok: false as const, error: result.message };
}

export const headers: Route.HeadersFunction = () => NO_STORE;

export default function StaffEnrol({ loaderData, actionData }: Route.ComponentProps) {
  const done = actionData?.ok ? actionData : null;
  return (
    <>
      <PageHeader
        title={done ? "2段階認証を設定しました" : "2段階認証の設定"}
        description="次回のログインから、パスワードのあとに認証アプリの確認コードを入力します。"
      />
      <div className="mt-6">
        {done ? (
          <RecoveryCodes codes={done.recoveryCodes} continueTo={`/c/${loaderData.slug}/admin/account`} />
        ) : !loaderData.enrolment ? (
          <p>
            2段階認証はすでに設定されています。<Link to={`/c/${loaderData.slug}/admin/account`}>アカウントに戻る</Link>
          </p>
        ) : (
          <TwoFactorEnrolForm
            enrolment={loaderData.enrolment}
            error={actionData && !actionData.ok ? actionData.error : undefined}
          />
        )}
      </div>
    </>
  );
}
