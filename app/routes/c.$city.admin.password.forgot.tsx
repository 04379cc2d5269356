import type { Route } from "./+types/c.$city.admin.password.forgot";
import { clientAddress } from "~/lib/client-address.server";
import { ForgotPasswordPage } from "~/auth/components/password-forms";
import { forgotAction } from "~/auth/password/pages.server";
import { tenantContext } from "~/tenants/context";

export function loader({ context }: Route.LoaderArgs) {
  const t = context.get(tenantContext);
  return { city: { slug: t.slug, name: t.name } };
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `パスワードの再設定 | ${data?.city.name ?? ""} 管理画面` },
];

export async function action({ request, context }: Route.ActionArgs) {
  return forgotAction(request, { kind: "staff", tenant: context.get(tenantContext) }, clientAddress(context));
}

export default function StaffForgotPassword({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <ForgotPasswordPage
      eyebrow={`${loaderData.city.name} 管理画面`}
      loginHref={`/c/${loaderData.city.slug}/admin/login`}
      result={actionData}
    />
  );
}
