import { Form, Link, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.line.richmenu";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { controlClassName, FieldShell, useFieldIds } from "~/components/ui/field-parts";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { readCappedForm } from "~/features/line-richmenu/form-body.server";
import { publishRichMenu, switchRichMenu } from "~/features/line-richmenu/publish.server";
import {
  richMenuPage,
  saveRichMenuTiles,
  uploadRichMenuImage,
  switchToGeneratedImage,
} from "~/features/line-richmenu/richmenu-admin.server";
import { TileEditor } from "~/features/line-richmenu/tile-editor";
import { KIND_LABEL, tilesToForm, type RichMenuKind } from "~/features/line-richmenu/tiles";
import { masterKey } from "~/lib/crypto.server";
import { formatDateTimeJa } from "~/lib/japan-time";
import { env } from "~/lib/env.server";
import { echoValues } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "リッチメニュー | 管理画面" }];

const kindOf = (request: Request): RichMenuKind =>
  new URL(request.url).searchParams.get("kind") === "disaster" ? "disaster" : "default";

export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const page = await richMenuPage(getDb(), tenant);
  return { ...page, kind: kindOf(request), slug: tenant.slug, liffEndpoint: `${env().APP_ORIGIN}/c/${tenant.slug}` };
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const actor = { staffUserId: staff.user.id, ip: clientAddress(context) };
  // The kind travels in the URL, so even a refused (too large) upload knows which tab it came from.
  const kind = kindOf(request);
  const form = await readCappedForm(request);
  if (!form)
    return {
      intent: "upload" as const,
      ok: false as const,
      message: "画像のファイルサイズは1MB以下にしてください。LINEの上限です。",
    };
  const intent = String(form.get("intent") ?? "");
  const deps = { db: getDb(), key: masterKey(env().MADOGUCHI_MASTER_KEY), appOrigin: env().APP_ORIGIN };
  switch (intent) {
    case "save": {
      const saved = await saveRichMenuTiles(getDb(), { tenant, kind, form, actor });
      if (saved.ok) return { intent, ok: true as const };
      const values = Object.fromEntries(
        [...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string"),
      );
      return { intent, ok: false as const, errors: saved.errors, values: echoValues(values) };
    }
    case "upload": {
      const file = form.get("image");
      if (!(file instanceof File) || file.size === 0)
        return { intent, ok: false as const, message: "画像ファイルを選んでください。" };
      const uploaded = await uploadRichMenuImage(getDb(), {
        tenant,
        kind,
        data: new Uint8Array(await file.arrayBuffer()),
        actor,
      });
      return uploaded.ok
        ? {
            intent,
            ok: true as const,
            message: "画像を保存しました。「LINEに反映」を押すと、この画像でメニューが表示されます。",
          }
        : { intent, ...uploaded };
    }
    case "use-generated":
      await switchToGeneratedImage(getDb(), { tenant, kind, actor });
      return { intent, ok: true as const, message: "ボタンの設定から作った画像を使います。" };
    case "publish":
      return { intent, ...(await publishRichMenu(deps, { tenant, kind, actor })) };
    case "switch": {
      const to = form.get("to") === "disaster" ? "disaster" : "default";
      return { intent, ...(await switchRichMenu(deps, { tenant, to, actor })) };
    }
    default:
      return {
        intent: "unknown" as const,
        ok: false as const,
        message: "操作を判別できませんでした。画面を読み込み直してください。",
      };
  }
}

export default function RichMenuPage({ loaderData, actionData }: Route.ComponentProps) {
  const navigation = useNavigation();
  const busyIntent = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const { menus, kind, slug, channel } = loaderData;
  const menu = menus[kind];
  const onShow = menus.disaster.active ? "disaster" : menus.default.active ? "default" : null;
  const formAction = `?kind=${kind}`;
  const saveFailure = actionData?.intent === "save" && !actionData.ok ? actionData : null;
  const message = actionData && "message" in actionData ? actionData : null;
  const upload = useFieldIds(undefined, {
    hint: "PNGまたはJPEG、1MBまで、横2500×縦1686ピクセル（または横1200×縦810ピクセル）",
    error: actionData?.intent === "upload" && !actionData.ok ? actionData.message : undefined,
  });
  return (
    <>
      <PageHeader
        title="リッチメニュー"
        description="LINEのトーク画面の下に表示されるメニューです。6つのボタンの文字・アイコン・動作を決めると、画像を自動で作ってLINEに反映します。災害時は、あらかじめ用意した災害用メニューにワンクリックで切り替えられます。"
      />
      <p className="-mt-2 mb-6">
        <Link to={`/c/${slug}/admin/line`}>LINE設定に戻る</Link>
      </p>

      {message && message.intent !== "upload" ? (
        <Notice variant={message.ok ? "success" : "error"} className="mb-6">
          {message.message}
        </Notice>
      ) : null}
      {actionData?.intent === "save" && actionData.ok ? (
        <Notice variant="success" className="mb-6">
          ボタンの設定を保存しました。下のプレビューで確認し、「LINEに反映」を押してください。
        </Notice>
      ) : null}
      {saveFailure ? (
        <Notice variant="error" className="mb-6">
          入力内容に誤りがあります。赤字の説明を確認してください（まだ保存されていません）。
        </Notice>
      ) : null}
      {!channel ? (
        <Notice variant="warning" className="mb-6" role="none">
          LINEの設定がまだ保存されていないため、LINEへの反映と切り替えはできません。先に「LINE設定」でチャネルの情報を保存してください。
        </Notice>
      ) : null}

      <Card title="いま表示中のメニュー">
        {onShow === "disaster" ? (
          <Notice variant="error" role="none" title="災害用メニューを表示中です">
            災害が落ち着いたら「通常メニューに戻す」を押してください。
          </Notice>
        ) : (
          <p className="text-xl font-bold">{onShow ? KIND_LABEL[onShow] : "まだLINEに反映されていません"}</p>
        )}
        <Form method="post" action={formAction} className="mt-4 flex flex-wrap items-center gap-4">
          <input type="hidden" name="intent" value="switch" />
          {onShow === "disaster" ? (
            <>
              <input type="hidden" name="to" value="default" />
              <Button type="submit" variant="secondary" disabled={!channel || busyIntent !== null}>
                {busyIntent === "switch" ? "切り替えています…" : "通常メニューに戻す"}
              </Button>
            </>
          ) : (
            <>
              <input type="hidden" name="to" value="disaster" />
              <Button type="submit" variant="danger" disabled={!channel || busyIntent !== null}>
                {busyIntent === "switch" ? "切り替えています…" : "災害用メニューに切り替え"}
              </Button>
            </>
          )}
          <span className="text-solid-gray-700">
            押すとすぐに、LINEの全ての利用者のメニューが切り替わります。未反映の変更があれば、先に反映してから切り替えます。
          </span>
        </Form>
      </Card>

      <nav aria-label="メニューの種類" className="mt-10 flex gap-2 border-b-2 border-solid-gray-420">
        {(["default", "disaster"] as const).map((k) => (
          <Link
            key={k}
            to={`?kind=${k}`}
            aria-current={k === kind ? "page" : undefined}
            className="-mb-0.5 inline-flex min-h-12 items-center rounded-t-8 border-2 border-b-0 border-transparent px-5 font-bold no-underline aria-[current=page]:border-solid-gray-420 aria-[current=page]:bg-white"
          >
            {KIND_LABEL[k]}
            {menus[k].active ? "（表示中）" : ""}
          </Link>
        ))}
      </nav>

      <div className="mt-6 grid gap-6 xl:grid-cols-[3fr_2fr]">
        <Card title={`${KIND_LABEL[kind]}のプレビュー`}>
          <img
            src={`/c/${slug}/admin/line/richmenu/preview/${kind}?v=${menu.version}`}
            alt={`${KIND_LABEL[kind]}の画像：${menu.tiles.map((t) => t.label).join("、")}`}
            width={2500}
            height={1686}
            className="h-auto w-full border border-solid-gray-420"
          />
          <p className="mt-2 text-solid-gray-700">
            {menu.imageSource === "uploaded"
              ? "アップロードした画像を使っています。ボタンの位置と動作は下の設定のとおりです。"
              : "保存したボタンの設定から作った画像です。"}
          </p>
        </Card>
        <Card title="LINEへの反映">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            <dt className="font-bold">表示</dt>
            <dd>{menu.active ? "表示中" : "表示されていません"}</dd>
            <dt className="font-bold">最後に反映した日時</dt>
            <dd>{menu.publishedAt ? formatDateTimeJa(menu.publishedAt) : "未反映"}</dd>
          </dl>
          {menu.publishedAt && menu.unpublishedChanges ? (
            <Notice variant="warning" role="none" className="mt-4">
              保存した変更がまだLINEに反映されていません。
            </Notice>
          ) : null}
          {menu.publishError ? (
            <Notice variant="error" role="none" className="mt-4" title="前回の反映・切り替えの結果">
              {menu.publishError}
            </Notice>
          ) : null}
          <Form method="post" action={formAction} className="mt-6">
            <input type="hidden" name="intent" value="publish" />
            <Button type="submit" disabled={!channel || busyIntent !== null}>
              {busyIntent === "publish" ? "反映しています…" : "LINEに反映"}
            </Button>
          </Form>
          <p className="mt-4 text-solid-gray-700">
            {kind === "disaster"
              ? "災害用メニューは、反映しても切り替えるまで表示されません。平常時に反映しておくと、切り替えがすぐに終わります。"
              : "通常メニューは、災害用メニューを表示中でなければ、反映するとすぐに表示されます。"}
          </p>
          <p className="mt-4 text-solid-gray-700">
            {channel?.liffId
              ? `「この自治体のページを開く」ボタンはLIFF（${channel.liffId}）で開きます。LIFFアプリのエンドポイントURLを ${loaderData.liffEndpoint} にしてください。`
              : "LIFF IDが未設定のため、「この自治体のページを開く」ボタンはLINEの中のブラウザでページを直接開きます。"}
          </p>
        </Card>
      </div>

      <h2 className="mt-10 text-2xl font-bold">{KIND_LABEL[kind]}のボタン</h2>
      <p className="mt-2">
        保存するとプレビューが新しくなります。LINEの利用者に表示されるのは「LINEに反映」を押してからです。
      </p>
      <Form method="post" action={formAction} className="mt-4 space-y-6" noValidate>
        <input type="hidden" name="intent" value="save" />
        <TileEditor
          key={`${kind}-${menu.version}`}
          values={saveFailure?.values ?? tilesToForm(menu.tiles)}
          errors={saveFailure?.errors ?? {}}
          slug={slug}
        />
        <Button type="submit" disabled={busyIntent !== null}>
          {busyIntent === "save" ? "保存しています…" : "ボタンの設定を保存"}
        </Button>
      </Form>

      <h2 className="mt-10 text-2xl font-bold">画像を自分で用意する（任意）</h2>
      <p className="mt-2">
        デザインした画像を使うこともできます。ボタンは2段×3列で、上の設定の順（左上から右下）に並んでいる必要があります。
      </p>
      {message?.intent === "upload" && message.ok ? (
        <Notice variant="success" className="mt-4">
          {message.message}
        </Notice>
      ) : null}
      <Form method="post" action={formAction} encType="multipart/form-data" className="mt-4 space-y-4" noValidate>
        <input type="hidden" name="intent" value="upload" />
        <FieldShell
          controlId={upload.controlId}
          label="メニューの画像"
          hint="PNGまたはJPEG、1MBまで、横2500×縦1686ピクセル（または横1200×縦810ピクセル）"
          hintId={upload.hintId}
          error={actionData?.intent === "upload" && !actionData.ok ? actionData.message : undefined}
          errorId={upload.errorId}
        >
          <input
            id={upload.controlId}
            name="image"
            type="file"
            accept="image/png,image/jpeg"
            aria-invalid={upload.errorId ? true : undefined}
            aria-describedby={upload.describedBy}
            className={controlClassName}
          />
        </FieldShell>
        <Button type="submit" variant="secondary" disabled={busyIntent !== null}>
          {busyIntent === "upload" ? "送信しています…" : "画像をアップロード"}
        </Button>
      </Form>
      {menu.imageSource === "uploaded" ? (
        <Form method="post" action={formAction} className="mt-4">
          <input type="hidden" name="intent" value="use-generated" />
          <Button type="submit" variant="secondary" disabled={busyIntent !== null}>
            ボタンの設定から作った画像に戻す
          </Button>
        </Form>
      ) : null}
    </>
  );
}
