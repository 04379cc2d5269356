import { Form, redirect } from "react-router";
import type { Route } from "./+types/vendor.invite.$token";
import { sessionCookie } from "~/auth/cookies.server";
import { PASSWORD_MIN } from "~/auth/password.constants";
import { clientAddress } from "~/lib/client-address.server";
import { createSession } from "~/auth/session.server";
import { PublicLayout } from "~/components/layouts/public-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { acceptVendorInvitation, lookupVendorInvitation } from "~/features/vendor/vendor-invitations.server";
import { acceptVendorInvitationSchema } from "~/features/vendor/vendor-staff.schemas";
import { formFailure, parseForm } from "~/lib/forms";
import { readForm } from "~/lib/form-body.server";

// Joining the vendor staff from an invitation (ADR 023). Outside the vendor layout: no session yet.
export async function loader({ params }: Route.LoaderArgs) {
  return { invitation: await lookupVendorInvitation(getDb(), params.token) };
}

export const meta: Route.MetaFunction = () => [
  { title: "運営スタッフへの招待 | 窓口 ベンダーコンソール" },
  { name: "referrer", content: "no-referrer" },
];

export async function action({ request, context, params }: Route.ActionArgs) {
  const db = getDb();
  const parsed = parseForm(acceptVendorInvitationSchema, await readForm(request));
  if (!parsed.ok) return parsed;
  const result = await acceptVendorInvitation(db, {
    token: params.token,
    displayName: parsed.data.displayName,
    password: parsed.data.password,
    ip: clientAddress(context),
  });
  if (!result.ok) return formFailure({ _form: result.message }, { displayName: parsed.data.displayName });
  // A password-only session: the vendor guard admits it to nothing but the mandatory enrolment (ADR 015).
  const session = await createSession(db, "vendor", result.vendorUserId);
  return redirect("/vendor/two-factor", {
    headers: { "Set-Cookie": sessionCookie("vendor", session.token, session.expiresAt) },
  });
}

const REFUSED = {
  expired: "この招待リンクは有効期限が切れています。",
  used: "この招待リンクはすでに使用されています。",
  invalid: "この招待リンクは無効です。",
} as const;

export default function AcceptVendorInvitation({ loaderData, actionData }: Route.ComponentProps) {
  const { invitation } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <PublicLayout>
      <div className="mx-auto max-w-md">
        <p className="text-lg">窓口 ベンダーコンソール</p>
        <h1 className="mt-1 text-3xl font-bold">運営スタッフへの招待</h1>
        {invitation.state !== "valid" ? (
          <div className="mt-6">
            <Notice variant="error">
              {REFUSED[invitation.state]}
              ほかの運営スタッフに再招待を依頼してください。
            </Notice>
          </div>
        ) : (
          <>
            <p className="mt-4">
              {invitation.email}{" "}
              さんを運営スタッフとして招待しています。氏名とパスワードを設定すると、続けて2段階認証（認証アプリ）を登録します。
            </p>
            {failure?.errors._form ? (
              <div className="mt-4">
                <Notice variant="error">{failure.errors._form}</Notice>
              </div>
            ) : null}
            <Form method="post" className="mt-6 space-y-6" noValidate>
              <TextField
                label="氏名"
                name="displayName"
                autoComplete="name"
                required
                defaultValue={failure?.values.displayName ?? invitation.displayName}
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
              <Button type="submit">招待を受けて利用を開始する</Button>
            </Form>
          </>
        )}
      </div>
    </PublicLayout>
  );
}
