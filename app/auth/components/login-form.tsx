import { Form, Link, useNavigation } from "react-router";
import { PublicLayout } from "~/components/layouts/public-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";
import type { FormFailure } from "~/lib/forms";

/**
 * The one login page shared by city staff and vendor staff; only the headings and links differ.
 * `resetDone`: arriving from a completed パスワードの再設定.
 */
export function LoginPage({
  eyebrow,
  title,
  next,
  failure,
  forgotHref,
  resetDone,
}: {
  eyebrow: string;
  title: string;
  next: string;
  failure: FormFailure | null;
  forgotHref: string;
  resetDone?: boolean;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <PublicLayout>
      <div className="mx-auto max-w-md">
        <p className="text-lg">{eyebrow}</p>
        <h1 className="mt-1 text-3xl font-bold">{title}</h1>
        {resetDone && !failure ? (
          <div className="mt-6">
            <Notice variant="success">パスワードを再設定しました。新しいパスワードでログインしてください。</Notice>
          </div>
        ) : null}
        {failure?.errors._form ? (
          <div className="mt-6">
            <Notice variant="error">{failure.errors._form}</Notice>
          </div>
        ) : null}
        <Form method="post" className="mt-6 space-y-6" noValidate>
          <input type="hidden" name="next" value={next} />
          <TextField
            label="メールアドレス"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={failure?.values.email}
            error={failure?.errors.email}
          />
          <TextField
            label="パスワード"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            error={failure?.errors.password}
          />
          <Button type="submit" disabled={busy}>
            {busy ? "確認しています…" : "ログイン"}
          </Button>
        </Form>
        <p className="mt-6">
          <Link to={forgotHref}>パスワードをお忘れの方</Link>
        </p>
      </div>
    </PublicLayout>
  );
}
