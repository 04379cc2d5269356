import type { Route } from "./+types/c.$city.admin.login.verify";
import { clientAddress } from "~/lib/client-address.server";
import { TwoFactorVerifyPage } from "~/auth/components/two-factor";
import { verifyPageAction, verifyPageLoader } from "~/auth/two-factor/pages.server";
import { tenantContext } from "~/tenants/context";

function where(context: Route.LoaderArgs["context"]) {
  const tenant = context.get(tenantContext);
  return { kind: "staff", tenant, home: `/c/${tenant.slug}/admin`, login: `/c/${tenant.slug}/admin/login` } as const;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  return {
    ...(await verifyPageLoader(request, where(context))),
    cityName: context.get(tenantContext).name,
    slug: context.get(tenantContext).slug,
  };
}
export const action = ({ request, context }: Route.ActionArgs) =>
  verifyPageAction(request, where(context), clientAddress(context));

export const meta: Route.MetaFunction = ({ data }) => [{ title: `2段階認証 | ${data?.cityName ?? ""} 管理画面` }];

export default function StaffVerify({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <TwoFactorVerifyPage
      eyebrow={loaderData.cityName}
      next={loaderData.next}
      error={actionData?.error}
      cancelHref={`/c/${loaderData.slug}/admin/login`}
    />
  );
}
