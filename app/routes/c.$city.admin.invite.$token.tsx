import { Form, redirect } from "react-router";
import type { Route } from "./+types/c.$city.admin.invite.$token";
import { sessionCookie } from "~/auth/cookies.server";
import { clientAddress } from "~/lib/client-address.server";
import { createSession } from "~/auth/session.server";
import { roleLabel } from "~/components/layouts/role-label";
import { PublicLayout } from "~/components/layouts/public-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { acceptInvitation, lookupInvitation } from "~/features/staff/invitations.server";
import { acceptInvitationSchema } from "~/features/staff/staff.schemas";
import { PASSWORD_MIN } from "~/auth/password.constants";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export async function loader({ params, context }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const invitation = await lookupInvitation(getDb(), tenant.id, params.token);
  return { city: { name: tenant.name }, invitation };
}

export const meta: Route.MetaFunction = () => [
  { title: "招待の受諾 | 窓口 管理画面" },
  { name: "referrer", content: "no-referrer" },
];

export async function action({ request, params, context }: Route.ActionArgs) {
  const tenant = context.get(tenantContext);
  const db = getDb();
  const invitation = await lookupInvitation(db, tenant.id, params.token);
  const form = await readForm(request);
  // An existing account only proves its password; it keeps its name.
  if (invitation.state === "valid" && invitation.hasAccount) form.set("displayName", "(existing)");
  if (invitation.state === "valid" && invitation.hasAccount)
    form.set("passwordConfirm", String(form.get("password") ?? ""));
  const parsed = parseForm(acceptInvitationSchema, form);
  if (!parsed.ok) return parsed;
  const result = await acceptInvitation(db, {
    tenantId: tenant.id,
    token: params.token,
    displayName: parsed.data.displayName,
    password: parsed.data.password,
    ip: clientAddress(context),
  });
  if (!result.ok)
    return formFailure(
      { [result.reason === "wrong-password" ? "password" : "_form"]: result.message },
      { displayName: parsed.data.displayName },
    );
  const session = await createSession(db, "staff", result.staffUserId);
  return redirect(`/c/${tenant.slug}/admin`, {
    headers: { "Set-Cookie": sessionCookie("staff", session.token, session.expiresAt) },
  });
}

export default function AcceptInvitation({ loaderData, actionData }: Route.ComponentProps) {
  const { invitation, city } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <PublicLayout>
      <div className="mx-auto max-w-md">
        <p className="text-lg">{city.name}</p>
        <h1 className="mt-1 text-3xl font-bold">管理画面への招待</h1>
        {invitation.state !== "valid" ? (
          <div className="mt-6">
            <Notice variant="error">
              {invitation.state === "expired"
                ? "この招待リンクは有効期限が切れています。"
                : invitation.state === "used"
                  ? "この招待リンクはすでに使用されています。"
                  : "この招待リンクは無効です。"}
              管理者に再招待を依頼してください。
            </Notice>
          </div>
        ) : (
          <>
            <p className="mt-4">
              {invitation.email} さんを「{roleLabel(invitation.role)}」として招待しています。
            </p>
            {failure?.errors._form ? (
              <div className="mt-4">
                <Notice variant="error">{failure.errors._form}</Notice>
              </div>
            ) : null}
            <Form method="post" className="mt-6 space-y-6" noValidate>
              {invitation.hasAccount ? (
                <TextField
                  label="パスワード"
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  required
                  hint="すでにお持ちの窓口アカウントのパスワードを入力してください。"
                  error={failure?.errors.password}
                />
              ) : (
                <>
                  <TextField
                    label="氏名"
                    name="displayName"
                    autoComplete="name"
                    required
                    defaultValue={failure?.values.displayName}
                    error={failure?.errors.displayName}
                  />
                  <TextField
                    label="パスワード"
                    name="password"
                    type="password"
                    autoComplete="new-password"
                    required
                    hint={`${PASSWORD_MIN}文字以上で設定してください。`}
                    error={failure?.errors.password}
                  />
                  <TextField
                    label="パスワード（確認）"
                    name="passwordConfirm"
                    type="password"
                    autoComplete="new-password"
                    required
                    error={failure?.errors.passwordConfirm}
                  />
                </>
              )}
              <Button type="submit">招待を受けて利用を開始する</Button>
            </Form>
          </>
        )}
      </div>
    </PublicLayout>
  );
}
