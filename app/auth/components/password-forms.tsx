import { Form, Link, useNavigation } from "react-router";
import { PublicLayout } from "~/components/layouts/public-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";
import { PASSWORD_MIN } from "~/auth/password.constants";
import type { FormFailure } from "~/lib/forms";

const NEW_PASSWORD_HINT = `${PASSWORD_MIN}文字以上で設定してください。ほかのサービスと同じパスワードは避けてください。`;

type ChangeResult = { ok: true; sessionsEnded: number } | FormFailure;

/** The account page's パスワードの変更 section. Password fields are never re-filled after a submit. */
export function PasswordChangeSection({ result }: { result?: ChangeResult }) {
  const failure = result && !result.ok ? result : null;
  return (
    <section aria-labelledby="password-heading" className="mt-8">
      <h2 id="password-heading" className="text-2xl font-bold">
        パスワードの変更
      </h2>
      <p className="mt-2">
        変更すると、この端末以外でのログインはすべて終了し、登録のメールアドレスにお知らせが届きます。
      </p>
      {result?.ok ? (
        <Notice variant="success" className="mt-4">
          パスワードを変更しました。
          {result.sessionsEnded > 0 ? `ほかの端末のログイン（${result.sessionsEnded}件）を終了しました。` : ""}
        </Notice>
      ) : null}
      {failure?.errors._form ? (
        <Notice variant="error" className="mt-4">
          {failure.errors._form}
        </Notice>
      ) : null}
      <Form method="post" className="mt-4 max-w-md space-y-4" noValidate>
        <input type="hidden" name="intent" value="password" />
        <TextField
          label="現在のパスワード"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={failure?.errors.currentPassword}
        />
        <TextField
          label="新しいパスワード"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={NEW_PASSWORD_HINT}
          error={failure?.errors.password}
        />
        <TextField
          label="新しいパスワード（確認）"
          name="passwordConfirm"
          type="password"
          autoComplete="new-password"
          required
          error={failure?.errors.passwordConfirm}
        />
        <Button type="submit">パスワードを変更する</Button>
      </Form>
    </section>
  );
}

type ForgotResult = { ok: true; message: string } | { ok: false; message: string } | FormFailure;

/** パスワードをお忘れの方: one field, one answer for every address. */
export function ForgotPasswordPage({
  eyebrow,
  loginHref,
  result,
}: {
  eyebrow: string;
  loginHref: string;
  result?: ForgotResult;
}) {
  const busy = useNavigation().state === "submitting";
  const failure = result && "errors" in result ? result : null;
  const answer = result && "message" in result ? result : null;
  return (
    <PublicLayout>
      <div className="mx-auto max-w-md">
        <p className="text-lg">{eyebrow}</p>
        <h1 className="mt-1 text-3xl font-bold">パスワードの再設定</h1>
        {answer ? (
          <Notice variant={answer.ok ? "success" : "error"} className="mt-6">
            {answer.message}
          </Notice>
        ) : null}
        {answer?.ok ? (
          <p className="mt-4">
            メールが届かない場合は、迷惑メールフォルダをご確認のうえ、管理者にお問い合わせください。リンクの有効期限は1時間です。
          </p>
        ) : (
          <>
            <p className="mt-4">
              登録しているメールアドレスを入力してください。パスワードを再設定するためのリンクをお送りします。
            </p>
            <Form method="post" className="mt-6 space-y-6" noValidate>
              <TextField
                label="メールアドレス"
                name="email"
                type="email"
                autoComplete="username"
                required
                defaultValue={failure?.values.email}
                error={failure?.errors.email}
              />
              <Button type="submit" disabled={busy}>
                {busy ? "送信しています…" : "再設定用のメールを送る"}
              </Button>
            </Form>
          </>
        )}
        <p className="mt-8">
          <Link to={loginHref}>ログイン画面に戻る</Link>
        </p>
      </div>
    </PublicLayout>
  );
}

/** The mail's link: a new password twice, or why the link no longer works. */
export function ResetPasswordPage({
  eyebrow,
  usable,
  forgotHref,
  failure,
}: {
  eyebrow: string;
  usable: boolean;
  forgotHref: string;
  failure: FormFailure | null;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <PublicLayout>
      <div className="mx-auto max-w-md">
        <p className="text-lg">{eyebrow}</p>
        <h1 className="mt-1 text-3xl font-bold">新しいパスワードの設定</h1>
        {!usable || failure?.errors._form ? (
          <>
            <Notice variant="error" className="mt-6">
              {failure?.errors._form ?? "この再設定リンクは無効です。期限切れか、すでに使用されています。"}
            </Notice>
            <p className="mt-4">
              <Link to={forgotHref}>もう一度、再設定用のメールを送る</Link>
            </p>
          </>
        ) : (
          <>
            <p className="mt-4">
              設定すると、すべての端末のログインが終了します。2段階認証を設定している場合、ログインには引き続き確認コードが必要です。
            </p>
            <Form method="post" className="mt-6 space-y-6" noValidate>
              <TextField
                label="新しいパスワード"
                name="password"
                type="password"
                autoComplete="new-password"
                required
                hint={NEW_PASSWORD_HINT}
                error={failure?.errors.password}
              />
              <TextField
                label="新しいパスワード（確認）"
                name="passwordConfirm"
                type="password"
                autoComplete="new-password"
                required
                error={failure?.errors.passwordConfirm}
              />
              <Button type="submit" disabled={busy}>
                {busy ? "設定しています…" : "パスワードを設定する"}
              </Button>
            </Form>
          </>
        )}
      </div>
    </PublicLayout>
  );
}
