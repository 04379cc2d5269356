import type { Route } from "./+types/c.$city.admin.password.reset.$token";
import { clientAddress } from "~/lib/client-address.server";
import { ResetPasswordPage } from "~/auth/components/password-forms";
import { resetAction, resetLoader } from "~/auth/password/pages.server";
import { tenantContext } from "~/tenants/context";

export async function loader({ context, params }: Route.LoaderArgs) {
  const t = context.get(tenantContext);
  return { city: { slug: t.slug, name: t.name }, ...(await resetLoader({ kind: "staff", tenant: t }, params.token)) };
}

// The token is in the URL: never hand it to another site in a Referer header.
export const meta: Route.MetaFunction = ({ data }) => [
  { title: `新しいパスワードの設定 | ${data?.city.name ?? ""} 管理画面` },
  { name: "referrer", content: "no-referrer" },
];

export async function action({ request, context, params }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  return resetAction(
    request,
    { kind: "staff", tenant },
    params.token,
    `/c/${tenant.slug}/admin/login`,
    clientAddress(context),
  );
}

export default function StaffResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <ResetPasswordPage
      eyebrow={`${loaderData.city.name} 管理画面`}
      usable={loaderData.usable}
      forgotHref={`/c/${loaderData.city.slug}/admin/password/forgot`}
      failure={failure}
    />
  );
}
