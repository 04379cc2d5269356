import { Form, redirect } from "react-router";
import type { Route } from "./+types/c.$city.admin.account";
import { logoutEverywhere } from "~/auth/logout.server";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/page-header";
import { staffContext, tenantContext } from "~/tenants/context";

export function loader({ context }: Route.LoaderArgs) {
  const staff = context.get(staffContext);
  return { email: staff.user.email, name: staff.user.displayName };
}

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const { cookie } = await logoutEverywhere(request, "staff");
  return redirect(`/c/${tenant.slug}/admin/login`, { headers: { "Set-Cookie": cookie } });
}

export default function AccountPage({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageHeader title="アカウント" description={`${loaderData.name}（${loaderData.email}）`} />
      <h2 className="mt-8 text-2xl font-bold">すべての端末からログアウト</h2>
      <p className="mt-2">スマートフォンの紛失や共用パソコンでのログアウト忘れに備えて、このアカウントのすべてのログインを終了します。</p>
      <Form method="post" className="mt-4">
        <Button type="submit" variant="danger">すべての端末からログアウト</Button>
      </Form>
    </>
  );
}
