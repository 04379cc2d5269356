import type { Route } from "./+types/vendor.password.forgot";
import { clientAddress } from "~/lib/client-address.server";
import { ForgotPasswordPage } from "~/auth/components/password-forms";
import { forgotAction } from "~/auth/password/pages.server";

export const meta: Route.MetaFunction = () => [{ title: "パスワードの再設定 | 窓口 ベンダーコンソール" }];

export async function action({ request, context }: Route.ActionArgs) {
  return forgotAction(request, { kind: "vendor" }, clientAddress(context));
}

export default function VendorForgotPassword({ actionData }: Route.ComponentProps) {
  return <ForgotPasswordPage eyebrow="窓口 ベンダーコンソール" loginHref="/vendor/login" result={actionData} />;
}
