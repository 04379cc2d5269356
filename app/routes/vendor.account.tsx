import { Form, redirect } from "react-router";
import type { Route } from "./+types/vendor.account";
import { logoutEverywhere } from "~/auth/logout.server";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/page-header";
import { vendorContext } from "~/tenants/context";

export function loader({ context }: Route.LoaderArgs) {
  const v = context.get(vendorContext);
  return { email: v.user.email, name: v.user.displayName };
}

export async function action({ request }: Route.ActionArgs) {
  const { cookie } = await logoutEverywhere(request, "vendor");
  return redirect("/vendor/login", { headers: { "Set-Cookie": cookie } });
}

export default function VendorAccount({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageHeader title="アカウント" description={`${loaderData.name}（${loaderData.email}）`} />
      <Form method="post" className="mt-6">
        <Button type="submit" variant="danger">すべての端末からログアウト</Button>
      </Form>
    </>
  );
}
