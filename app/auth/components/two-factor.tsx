import { Form, Link, useNavigation } from "react-router";
import { PublicLayout } from "~/components/layouts/public-layout";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { TextField } from "~/components/ui/text-field";

/** The login's second step, for city staff and vendor staff alike: a 6-digit code, or a recovery code. */
export function TwoFactorVerifyPage({
  eyebrow,
  next,
  error,
  cancelHref,
}: {
  eyebrow: string;
  next: string;
  error?: string;
  cancelHref: string;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <PublicLayout>
      <div className="mx-auto max-w-md">
        <p className="text-lg">{eyebrow}</p>
        <h1 className="mt-1 text-3xl font-bold">2段階認証</h1>
        <p className="mt-4">
          認証アプリ（Google Authenticator、Microsoft Authenticator
          など）に表示されている6桁の確認コードを入力してください。
        </p>
        {error ? (
          <div className="mt-6">
            <Notice variant="error">{error}</Notice>
          </div>
        ) : null}
        <Form method="post" className="mt-6 space-y-6" noValidate>
          <input type="hidden" name="next" value={next} />
          <TextField
            label="確認コード"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={8}
            required
            hint="6桁の数字"
            className="max-w-xs"
          />
          <Button type="submit" disabled={busy}>
            {busy ? "確認しています…" : "確認する"}
          </Button>
        </Form>
        <details className="mt-10 border-t border-solid-gray-200 pt-6">
          <summary className="cursor-pointer font-bold text-blue-900 underline">
            認証アプリを使えない場合（リカバリーコード）
          </summary>
          <p className="mt-3">登録時に控えたリカバリーコードを1つ入力してください。使ったコードは二度と使えません。</p>
          <Form method="post" className="mt-4 space-y-6" noValidate>
            <input type="hidden" name="next" value={next} />
            <TextField
              label="リカバリーコード"
              name="code"
              autoComplete="off"
              required
              hint="例：abcde-fghij"
              className="max-w-xs"
            />
            <Button type="submit" variant="secondary" disabled={busy}>
              リカバリーコードでログイン
            </Button>
          </Form>
        </details>
        <p className="mt-10">
          <Link to={cancelHref}>ログイン画面に戻る</Link>
        </p>
      </div>
    </PublicLayout>
  );
}

export type EnrolmentView = { qrDataUrl: string; manualKey: string };

/** Enrolment: scan the QR code (or type the key), then prove it with the first code. */
export function TwoFactorEnrolForm({
  enrolment,
  next,
  error,
}: {
  enrolment: EnrolmentView;
  next?: string;
  error?: string;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <div className="space-y-6">
      <ol className="list-decimal space-y-2 pl-6">
        <li>スマートフォンに認証アプリ（Google Authenticator、Microsoft Authenticator など）を用意します。</li>
        <li>アプリで下の QR コードを読み取ります。読み取れない場合は「セットアップキー」を手入力してください。</li>
        <li>アプリに表示された6桁の確認コードを入力して「登録する」を押します。</li>
      </ol>
      <img
        src={enrolment.qrDataUrl}
        alt="認証アプリに登録するための QR コード"
        width={200}
        height={200}
        className="border border-solid-gray-200 bg-white p-2"
      />
      <div>
        <p className="font-bold">セットアップキー（手入力用）</p>
        <p className="mt-1 font-mono text-lg tracking-wider" data-testid="totp-manual-key">
          {enrolment.manualKey}
        </p>
        <p className="mt-1 text-sm text-solid-gray-700">種類：時間ベース、6桁、30秒</p>
      </div>
      {error ? <Notice variant="error">{error}</Notice> : null}
      <Form method="post" className="space-y-6" noValidate>
        <input type="hidden" name="intent" value="confirm" />
        {next !== undefined ? <input type="hidden" name="next" value={next} /> : null}
        <TextField
          label="確認コード"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={6}
          required
          hint="6桁の数字"
          className="max-w-xs"
        />
        <Button type="submit" disabled={busy}>
          {busy ? "確認しています…" : "登録する"}
        </Button>
      </Form>
    </div>
  );
}

/** Shown exactly once, right after they are made: the server keeps only their hashes. */
export function RecoveryCodes({ codes, continueTo }: { codes: string[]; continueTo?: string }) {
  return (
    <div className="space-y-4">
      <Notice variant="warning" title="リカバリーコードを控えてください">
        スマートフォンをなくしたときは、これらのコードで1回ずつログインできます。この画面を閉じると二度と表示されません。印刷するか、安全な場所に保管してください。
      </Notice>
      <ul className="grid max-w-md grid-cols-2 gap-2 font-mono text-lg" aria-label="リカバリーコード">
        {codes.map((c) => (
          <li key={c} className="rounded-6 border border-solid-gray-200 bg-solid-gray-50 px-3 py-1">
            {c}
          </li>
        ))}
      </ul>
      {continueTo ? (
        <p>
          <Link to={continueTo} className="font-bold">
            控えました。続ける
          </Link>
        </p>
      ) : null}
    </div>
  );
}
