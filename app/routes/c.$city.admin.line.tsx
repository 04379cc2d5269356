import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.line";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { Button, ButtonLink } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import {
  lineSettingsPage,
  saveLineSettings,
  testLineConnection,
  webhookUrl,
} from "~/features/line/channel-admin.server";
import { ChannelCredentialFields } from "~/features/line/components/channel-credential-fields";
import { adminChannelSettingsSchema, loginChannelSchema } from "~/features/line/line.schemas";
import { saveLoginChannel } from "~/features/line/login-channel.server";
import { masterKey } from "~/lib/crypto.server";
import { formatDateTimeJa } from "~/lib/japan-time";
import { env } from "~/lib/env.server";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "LINE設定 | 管理画面" }];

export async function loader({ context }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const page = await lineSettingsPage(getDb(), tenant.id);
  return { ...page, webhookUrl: webhookUrl(env().APP_ORIGIN, tenant.id) };
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const form = await readForm(request);
  const actor = { staffUserId: staff.user.id, ip: clientAddress(context) };
  const key = masterKey(env().MADOGUCHI_MASTER_KEY);
  if (form.get("intent") === "test") {
    const result = await testLineConnection(getDb(), key, { tenantId: tenant.id, actor });
    return { intent: "test" as const, ...result };
  }
  if (form.get("intent") === "login") {
    const parsed = parseForm(loginChannelSchema, form);
    if (!parsed.ok) return { intent: "login" as const, ...parsed };
    const saved = await saveLoginChannel(getDb(), key, { tenantId: tenant.id, ...parsed.data, actor });
    // The secret is never sent back into the form, even after a refusal.
    if (!saved.ok)
      return {
        intent: "login" as const,
        ...formFailure({ [saved.field ?? "_form"]: saved.message }, { loginChannelId: parsed.data.loginChannelId }),
      };
    return { intent: "login" as const, ok: true as const };
  }
  const parsed = parseForm(adminChannelSettingsSchema, form);
  if (!parsed.ok) return { intent: "save" as const, ...parsed };
  const saved = await saveLineSettings(getDb(), key, { tenantId: tenant.id, settings: parsed.data, actor });
  if (!saved.ok)
    return {
      intent: "save" as const,
      ...formFailure(
        { [saved.field]: saved.message },
        Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>,
      ),
    };
  return { intent: "save" as const, ok: true as const };
}

export default function LineSettingsPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const testing = busy && navigation.formData?.get("intent") === "test";
  const { channel, counts } = loaderData;
  const saveFailure = actionData?.intent === "save" && !actionData.ok ? actionData : null;
  const values = saveFailure?.values ?? {};
  const loginFailure = actionData?.intent === "login" && !actionData.ok ? actionData : null;
  return (
    <>
      <PageHeader
        title="LINE設定"
        description="この自治体のLINE公式アカウント（Messaging APIチャネル）との接続設定です。値はLINE Developersコンソールからコピーしてください。"
        actions={
          <ButtonLink to={`/c/${params.city}/admin/line/richmenu`} variant="secondary" className="whitespace-nowrap">
            リッチメニュー
          </ButtonLink>
        }
      />

      {actionData?.intent === "save" && actionData.ok ? (
        <Notice variant="success" className="mb-6">
          LINEの設定を保存しました。「接続テスト」で動作を確認してください。
        </Notice>
      ) : null}
      {actionData?.intent === "login" && actionData.ok ? (
        <Notice variant="success" className="mb-6">
          LINEログインチャネルをLINEで確認し、保存しました。
        </Notice>
      ) : null}
      {actionData?.intent === "test" ? (
        actionData.ok ? (
          <Notice variant="success" className="mb-6" title="接続できました">
            LINE公式アカウント「{actionData.botName}」と接続できています。
          </Notice>
        ) : (
          <Notice variant="error" className="mb-6" title="接続できませんでした">
            {actionData.message}
          </Notice>
        )
      ) : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="現在の設定">
          {channel ? (
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
              <dt className="font-bold">チャネルID</dt>
              <dd>{channel.channelId}</dd>
              <dt className="font-bold">LIFF ID</dt>
              <dd>{channel.liffId ?? "未設定"}</dd>
              <dt className="font-bold">ボットのユーザーID</dt>
              <dd className="break-all">{channel.botUserId ?? "未設定（接続テストで自動入力されます）"}</dd>
              <dt className="font-bold">チャネルシークレット</dt>
              <dd aria-label={`末尾${channel.secretMasked.slice(-4)}の値が保存されています`}>{channel.secretMasked}</dd>
              <dt className="font-bold">アクセストークン</dt>
              <dd aria-label={`末尾${channel.tokenMasked.slice(-4)}の値が保存されています`}>{channel.tokenMasked}</dd>
              <dt className="font-bold">最終接続テスト</dt>
              <dd>
                {channel.checkedAt
                  ? `${formatDateTimeJa(channel.checkedAt)}（${channel.checkError ? "失敗" : "成功"}）`
                  : "未実施"}
              </dd>
            </dl>
          ) : (
            <p>まだ設定されていません。下のフォームからチャネルの情報を保存してください。</p>
          )}
          {channel?.checkError ? (
            <Notice variant="warning" className="mt-4" role="none" title="前回の接続テストの結果">
              {channel.checkError}
            </Notice>
          ) : null}
          <Form method="post" className="mt-6">
            <input type="hidden" name="intent" value="test" />
            <Button type="submit" variant="secondary" disabled={busy || !channel}>
              {testing ? "接続を確認しています…" : "接続テスト"}
            </Button>
          </Form>
        </Card>

        <Card title="友だちの数">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            <dt className="font-bold">友だち（受信中）</dt>
            <dd className="tabular-nums">{counts.following.toLocaleString("ja-JP")}人</dd>
            <dt className="font-bold">ブロック中</dt>
            <dd className="tabular-nums">{counts.blocked.toLocaleString("ja-JP")}人</dd>
          </dl>
          <p className="mt-4 text-solid-gray-700">このシステムに接続した後に友だち追加・ブロックした人の数です。</p>
        </Card>
      </div>

      <Card title="Webhook URL" className="mt-6">
        <p>
          LINE Developersコンソールの「Messaging
          API設定」→「Webhook設定」に、次のURLを貼り付けて「Webhookの利用」をオンにしてください。
        </p>
        <p className="mt-3 break-all rounded-8 bg-solid-gray-50 p-3 font-mono">{loaderData.webhookUrl}</p>
      </Card>

      <h2 className="mt-10 text-2xl font-bold">チャネルの情報を保存する</h2>
      <p className="mt-2">
        チャネルシークレットとアクセストークンは暗号化して保存され、この画面にも末尾4文字しか表示されません。変更しない場合は空欄のままにしてください。
      </p>
      {saveFailure?.errors._form ? (
        <Notice variant="error" className="mt-4">
          {saveFailure.errors._form}
        </Notice>
      ) : null}
      <Form method="post" className="mt-4 max-w-2xl space-y-6" noValidate autoComplete="off">
        <input type="hidden" name="intent" value="save" />
        <ChannelCredentialFields stored={channel} values={values} errors={saveFailure?.errors} />
        <TextField
          label="LIFF ID"
          name="liffId"
          hint="例：2000000101-AbCdEfGh"
          defaultValue={values.liffId ?? channel?.liffId ?? ""}
          error={saveFailure?.errors.liffId}
        />
        <TextField
          label="ボットのユーザーID"
          name="botUserId"
          hint="空欄のままで構いません（接続テストで自動入力されます）"
          defaultValue={values.botUserId ?? channel?.botUserId ?? ""}
          error={saveFailure?.errors.botUserId}
        />
        <Button type="submit" disabled={busy}>
          保存する
        </Button>
      </Form>

      <LoginChannelSection channel={channel} failure={loginFailure} busy={busy} />
    </>
  );
}

type LoginFailure = { errors: Partial<Record<string, string>>; values: Partial<Record<string, string>> };

/** The LINE Login channel that owns the LIFF app: checked live at LINE before it is saved. */
function LoginChannelSection({
  channel,
  failure,
  busy,
}: {
  channel: {
    loginChannelId: string | null;
    loginSecretSet: boolean;
    loginSecretUpdatedAt: Date | string | null;
  } | null;
  failure: LoginFailure | null;
  busy: boolean;
}) {
  const secretState = channel?.loginSecretSet
    ? `設定済み${channel.loginSecretUpdatedAt ? `（最終変更 ${formatDateTimeJa(channel.loginSecretUpdatedAt)}）` : ""}`
    : "未設定";
  return (
    <section aria-labelledby="login-channel-heading" className="mt-10">
      <h2 id="login-channel-heading" className="text-2xl font-bold">
        LINEログインチャネル（LIFF）
      </h2>
      <p className="mt-2">
        LIFFアプリを追加したLINEログインチャネルです。住民がLINEの中で開くページの本人確認に使います。保存する前にLINEに問い合わせて、チャネルIDとチャネルシークレットが正しいか確認します。チャネルシークレットは暗号化して保存され、この画面には表示されません。
      </p>
      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
        <dt className="font-bold">LINEログインのチャネルID</dt>
        <dd>{channel?.loginChannelId ?? "未設定"}</dd>
        <dt className="font-bold">チャネルシークレット</dt>
        <dd data-testid="login-secret-state">{secretState}</dd>
      </dl>
      {failure?.errors._form ? (
        <Notice variant="error" className="mt-4" title="保存できませんでした">
          {failure.errors._form}
        </Notice>
      ) : null}
      {/* A new key after a save remounts the form: the typed secret does not stay in the page. */}
      <Form
        key={String(channel?.loginSecretUpdatedAt ?? "none")}
        method="post"
        className="mt-4 max-w-2xl space-y-6"
        noValidate
        autoComplete="off"
      >
        <input type="hidden" name="intent" value="login" />
        <TextField
          label="LINEログインのチャネルID"
          name="loginChannelId"
          required
          inputMode="numeric"
          hint="LINEログインチャネルの「チャネル基本設定」のチャネルID（数字）"
          defaultValue={failure?.values.loginChannelId ?? channel?.loginChannelId ?? ""}
          error={failure?.errors.loginChannelId}
        />
        <TextField
          label="LINEログインのチャネルシークレット"
          name="loginChannelSecret"
          type="password"
          autoComplete="new-password"
          required={!channel?.loginSecretSet}
          hint={
            channel?.loginSecretSet
              ? "設定済みです。変更するときだけ入力してください（チャネルIDを変えるときは必ず入力してください）。"
              : "LINEログインチャネルの「チャネル基本設定」のチャネルシークレット（Messaging APIチャネルのものではありません）"
          }
          error={failure?.errors.loginChannelSecret}
        />
        <Button type="submit" disabled={busy || !channel}>
          LINEで確認して保存する
        </Button>
      </Form>
    </section>
  );
}
