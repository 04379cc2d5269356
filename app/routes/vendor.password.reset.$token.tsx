import type { Route } from "./+types/vendor.password.reset.$token";
import { clientAddress } from "~/lib/client-address.server";
import { ResetPasswordPage } from "~/auth/components/password-forms";
import { resetAction, resetLoader } from "~/auth/password/pages.server";

export async function loader({ params }: Route.LoaderArgs) {
  return resetLoader({ kind: "vendor" }, params.token);
}

// The token is in the URL: never hand it to another site in a Referer header.
export const meta: Route.MetaFunction = () => [
  { title: "新しいパスワードの設定 | 窓口 ベンダーコンソール" },
  { name: "referrer", content: "no-referrer" },
];

export async function action({ request, context, params }: Route.ActionArgs) {
  return resetAction(request, { kind: "vendor" }, params.token, "/vendor/login", clientAddress(context));
}

export default function VendorResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <ResetPasswordPage
      eyebrow="窓口 ベンダーコンソール"
      usable={loaderData.usable}
      forgotHref="/vendor/password/forgot"
      failure={failure}
    />
  );
}
