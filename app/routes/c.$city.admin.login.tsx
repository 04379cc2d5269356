import { Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.login";
import { sessionCookie } from "~/auth/cookies.server";
import { loginStaff } from "~/auth/login.server";
import { clientIp } from "~/auth/rate-limit.server";
import { PublicLayout } from "~/components/layouts/public-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { loginSchema, safeNext } from "~/features/staff/staff.schemas";
import { parseForm, formFailure } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";

export function loader({ context, request }: Route.LoaderArgs) {
  const t = context.get(tenantContext);
  return { city: { slug: t.slug, name: t.name }, next: new URL(request.url).searchParams.get("next") ?? "" };
}

export const meta: Route.MetaFunction = ({ data }) => [{ title: `ログイン | ${data?.city.name ?? ""} 管理画面` }];

export async function action({ request, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const parsed = parseForm(loginSchema, await request.formData());
  if (!parsed.ok) return parsed;
  const result = await loginStaff(getDb(), { tenant, email: parsed.data.email, password: parsed.data.password, ip: clientIp(request) });
  if (!result.ok) return formFailure({ _form: result.message }, { email: parsed.data.email });
  return redirect(safeNext(parsed.data.next, `/c/${tenant.slug}/admin`), {
    headers: { "Set-Cookie": sessionCookie("staff", result.token, result.expiresAt) },
  });
}

export default function StaffLogin({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <PublicLayout>
      <div className="mx-auto max-w-md">
      <p className="text-lg">{loaderData.city.name}</p>
      <h1 className="mt-1 text-3xl font-bold">管理画面にログイン</h1>
      {failure?.errors._form ? <div className="mt-6"><Notice variant="error">{failure.errors._form}</Notice></div> : null}
      <Form method="post" className="mt-6 space-y-6" noValidate>
        <input type="hidden" name="next" value={loaderData.next} />
        <TextField label="メールアドレス" name="email" type="email" autoComplete="username" required defaultValue={failure?.values.email} error={failure?.errors.email} />
        <TextField label="パスワード" name="password" type="password" autoComplete="current-password" required error={failure?.errors.password} />
        <Button type="submit" disabled={busy}>{busy ? "確認しています…" : "ログイン"}</Button>
      </Form>
      </div>
    </PublicLayout>
  );
}
