import { redirect } from "react-router";
import type { Route } from "./+types/c.$city.admin.login";
import { LoginPage } from "~/auth/components/login-form";
import { sessionCookie } from "~/auth/cookies.server";
import { loginStaff } from "~/auth/login.server";
import { clientAddress } from "~/lib/client-address.server";
import { getDb } from "#db/client.server";
import { loginSchema, safeNext } from "~/features/staff/staff.schemas";
import { parseForm, formFailure } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export function loader({ context, request }: Route.LoaderArgs) {
  const t = context.get(tenantContext);
  return {
    city: { slug: t.slug, name: t.name },
    next: new URL(request.url).searchParams.get("next") ?? "",
    resetDone: new URL(request.url).searchParams.get("reset") === "done",
  };
}

export const meta: Route.MetaFunction = ({ data }) => [{ title: `ログイン | ${data?.city.name ?? ""} 管理画面` }];

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const parsed = parseForm(loginSchema, await readForm(request));
  if (!parsed.ok) return parsed;
  const result = await loginStaff(getDb(), {
    tenant,
    email: parsed.data.email,
    password: parsed.data.password,
    ip: clientAddress(context),
  });
  if (!result.ok) return formFailure({ _form: result.message }, { email: parsed.data.email });
  const next = safeNext(parsed.data.next, `/c/${tenant.slug}/admin`);
  // Staff who enrolled a second factor prove it next; for the others the password is enough.
  const to =
    result.secondStep === "verify" ? `/c/${tenant.slug}/admin/login/verify?next=${encodeURIComponent(next)}` : next;
  return redirect(to, {
    headers: { "Set-Cookie": sessionCookie("staff", result.token, result.expiresAt) },
  });
}

export default function StaffLogin({ loaderData, actionData }: Route.ComponentProps) {
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <LoginPage
      eyebrow={loaderData.city.name}
      title={"管理画面にログイン"}
      next={loaderData.next}
      failure={failure}
      forgotHref={`/c/${loaderData.city.slug}/admin/password/forgot`}
      resetDone={loaderData.resetDone}
    />
  );
}
