import { Form, redirect } from "react-router";
import type { Route } from "./+types/vendor.account";
import { logoutEverywhere } from "~/auth/logout.server";
import { clientAddress } from "~/lib/client-address.server";
import { getDb } from "#db/client.server";
import { recordVendorAudit } from "~/features/audit/audit.server";
import { TwoFactorSettings } from "~/auth/components/two-factor-settings";
import { PasswordChangeSection } from "~/auth/components/password-forms";
import { passwordChangeAction } from "~/auth/password/pages.server";
import { accountTwoFactor, accountTwoFactorAction } from "~/auth/two-factor/account.server";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/page-header";
import { vendorContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export async function loader({ context }: Route.LoaderArgs) {
  const v = context.get(vendorContext);
  return { email: v.user.email, name: v.user.displayName, twoFactor: await accountTwoFactor("vendor", v.user.id) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  if (form.get("intent") === "password") {
    const v = context.get(vendorContext);
    return passwordChangeAction(
      request,
      form,
      { kind: "vendor", userId: v.user.id, sessionId: v.sessionId },
      clientAddress(context),
    );
  }
  if (form.get("intent") === "regenerate") {
    return accountTwoFactorAction(
      request,
      form,
      { kind: "vendor", userId: context.get(vendorContext).user.id },
      clientAddress(context),
    );
  }
  const { cookie, ended } = await logoutEverywhere(request, "vendor");
  await recordVendorAudit(getDb(), {
    vendorUserId: context.get(vendorContext).user.id,
    action: "vendor.logout_everywhere",
    detail: { sessions: ended },
    ip: clientAddress(context),
  });
  return redirect("/vendor/login", { headers: { "Set-Cookie": cookie } });
}

export default function VendorAccount({ loaderData, actionData }: Route.ComponentProps) {
  const passwordChange = actionData && "passwordChange" in actionData ? actionData.passwordChange : undefined;
  return (
    <>
      <PageHeader title="アカウント" description={`${loaderData.name}（${loaderData.email}）`} />
      <PasswordChangeSection result={passwordChange} />
      {/* Mandatory for vendor staff: no 解除 here. */}
      <TwoFactorSettings
        status={loaderData.twoFactor}
        result={actionData && !("passwordChange" in actionData) ? actionData : undefined}
        canDisable={false}
      />
      <h2 className="mt-8 text-2xl font-bold">すべての端末からログアウト</h2>
      <Form method="post" className="mt-4">
        <Button type="submit" variant="danger">
          すべての端末からログアウト
        </Button>
      </Form>
    </>
  );
}
