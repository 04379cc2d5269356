import { redirect } from "react-router";
import type { Route } from "./+types/vendor.login";
import { LoginPage } from "~/auth/components/login-form";
import { sessionCookie } from "~/auth/cookies.server";
import { loginVendor } from "~/auth/login.server";
import { clientAddress } from "~/lib/client-address.server";
import { getDb } from "#db/client.server";
import { loginSchema, safeNext } from "~/features/staff/staff.schemas";
import { formFailure, parseForm } from "~/lib/forms";
import { readForm } from "~/lib/form-body.server";

export function loader({ request }: Route.LoaderArgs) {
  return {
    next: new URL(request.url).searchParams.get("next") ?? "",
    resetDone: new URL(request.url).searchParams.get("reset") === "done",
  };
}

export const meta: Route.MetaFunction = () => [{ title: "ログイン | 窓口 ベンダーコンソール" }];

export async function action({ request, context }: Route.ActionArgs) {
  const parsed = parseForm(loginSchema, await readForm(request));
  if (!parsed.ok) return parsed;
  const result = await loginVendor(getDb(), {
    email: parsed.data.email,
    password: parsed.data.password,
    ip: clientAddress(context),
  });
  if (!result.ok) return formFailure({ _form: result.message }, { email: parsed.data.email });
  const next = safeNext(parsed.data.next, "/vendor");
  // Password alone opens nothing: the code prompt, or the mandatory enrolment for a first login.
  const to = `${result.secondStep === "verify" ? "/vendor/login/verify" : "/vendor/two-factor"}?next=${encodeURIComponent(next)}`;
  return redirect(to, { headers: { "Set-Cookie": sessionCookie("vendor", result.token, result.expiresAt) } });
}

export default function VendorLogin({ loaderData, actionData }: Route.ComponentProps) {
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <LoginPage
      eyebrow={"窓口 ベンダーコンソール"}
      title={"運営事業者ログイン"}
      next={loaderData.next}
      failure={failure}
      forgotHref={"/vendor/password/forgot"}
      resetDone={loaderData.resetDone}
    />
  );
}
