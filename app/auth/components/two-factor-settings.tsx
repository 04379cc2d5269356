import { Form, Link } from "react-router";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";
import type { AccountTwoFactorResult } from "~/auth/two-factor/account.server";
import { RecoveryCodes } from "./two-factor";
import { formatTokyo } from "~/lib/japan-time";

type Status = { enrolled: false } | { enrolled: true; since: string; recoveryCodesLeft: number };

/** The account page's 2段階認証 section (city staff: optional, with 解除; vendor staff: mandatory). */
export function TwoFactorSettings({
  status,
  result,
  enrolHref,
  canDisable,
}: {
  status: Status;
  result?: AccountTwoFactorResult;
  enrolHref?: string;
  canDisable: boolean;
}) {
  const error = (intent: string) =>
    result && result.intent === intent && "error" in result ? result.error : undefined;
  return (
    <section aria-labelledby="two-factor-heading" className="mt-8">
      <h2 id="two-factor-heading" className="text-2xl font-bold">
        2段階認証
      </h2>
      {result && "disabled" in result ? (
        <Notice variant="success" className="mt-4">
          2段階認証を解除しました。
        </Notice>
      ) : null}
      {result && "recoveryCodes" in result ? (
        <div className="mt-4">
          <RecoveryCodes codes={result.recoveryCodes} />
        </div>
      ) : null}
      {!status.enrolled ? (
        <>
          <p className="mt-2">
            ログインのときに、パスワードに加えてスマートフォンの認証アプリの確認コードを求めます。パスワードが漏れても、第三者はログインできません。
          </p>
          {enrolHref ? (
            <p className="mt-4">
              <Link to={enrolHref} className="font-bold">
                2段階認証を設定する
              </Link>
            </p>
          ) : null}
        </>
      ) : (
        <>
          <p className="mt-2">
            設定済みです（{formatTokyo(new Date(status.since), "yyyy/M/d")}
            から）。未使用のリカバリーコード：{status.recoveryCodesLeft}個
          </p>
          {status.recoveryCodesLeft <= 3 ? (
            <Notice variant="warning" className="mt-4">
              リカバリーコードが残り少なくなっています。新しいコードを発行してください。
            </Notice>
          ) : null}
          <h3 className="mt-6 text-xl font-bold">リカバリーコードを発行し直す</h3>
          <p className="mt-2">これまでのリカバリーコードは使えなくなります。</p>
          <Form method="post" className="mt-4 space-y-4" noValidate>
            <input type="hidden" name="intent" value="regenerate" />
            <TextField
              label="確認コード（発行し直し）"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              hint="認証アプリの6桁"
              error={error("regenerate")}
              className="max-w-xs"
            />
            <Button type="submit" variant="secondary">
              新しいリカバリーコードを発行する
            </Button>
          </Form>
          {canDisable ? (
            <>
              <h3 className="mt-6 text-xl font-bold">2段階認証を解除する</h3>
              <Form method="post" className="mt-4 space-y-4" noValidate>
                <input type="hidden" name="intent" value="disable" />
                <TextField
                  label="確認コード（解除）"
                  name="code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  required
                  hint="認証アプリの6桁、またはリカバリーコード"
                  error={error("disable")}
                  className="max-w-xs"
                />
                <Button type="submit" variant="danger">
                  2段階認証を解除する
                </Button>
              </Form>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
