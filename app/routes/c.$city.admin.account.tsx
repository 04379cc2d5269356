import { Form, redirect } from "react-router";
import type { Route } from "./+types/c.$city.admin.account";
import { clientAddress } from "~/lib/client-address.server";
import { logoutEverywhere } from "~/auth/logout.server";
import { TwoFactorSettings } from "~/auth/components/two-factor-settings";
import { PasswordChangeSection } from "~/auth/components/password-forms";
import { passwordChangeAction } from "~/auth/password/pages.server";
import { accountTwoFactor, accountTwoFactorAction } from "~/auth/two-factor/account.server";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/page-header";
import { staffContext, tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export async function loader({ context }: Route.LoaderArgs) {
  const staff = context.get(staffContext);
  return {
    email: staff.user.email,
    name: staff.user.displayName,
    twoFactor: await accountTwoFactor("staff", staff.user.id),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const staff = context.get(staffContext);
  const form = await readForm(request);
  if (form.get("intent") === "password") {
    return passwordChangeAction(
      request,
      form,
      {
        kind: "staff",
        userId: staff.user.id,
        tenantId: tenant.id,
        sessionId: staff.sessionId,
      },
      clientAddress(context),
    );
  }
  if (form.get("intent") === "regenerate" || form.get("intent") === "disable") {
    return accountTwoFactorAction(
      request,
      form,
      { kind: "staff", userId: staff.user.id, tenantId: tenant.id },
      clientAddress(context),
    );
  }
  const { cookie } = await logoutEverywhere(request, "staff");
  return redirect(`/c/${tenant.slug}/admin/login`, { headers: { "Set-Cookie": cookie } });
}

export default function AccountPage({ loaderData, actionData }: Route.ComponentProps) {
  const passwordChange = actionData && "passwordChange" in actionData ? actionData.passwordChange : undefined;
  return (
    <>
      <PageHeader title="アカウント" description={`${loaderData.name}（${loaderData.email}）`} />
      <PasswordChangeSection result={passwordChange} />
      <TwoFactorSettings
        status={loaderData.twoFactor}
        result={actionData && !("passwordChange" in actionData) ? actionData : undefined}
        enrolHref="two-factor"
        canDisable
      />
      <h2 className="mt-8 text-2xl font-bold">すべての端末からログアウト</h2>
      <p className="mt-2">
        スマートフォンの紛失や共用パソコンでのログアウト忘れに備えて、このアカウントのすべてのログインを終了します。
      </p>
      <Form method="post" className="mt-4">
        <Button type="submit" variant="danger">
          すべての端末からログアウト
        </Button>
      </Form>
    </>
  );
}
