import { Form, data, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.reports.settings";
import { requireRole } from "~/auth/guards.server";
import { Button } from "~/components/ui/button";
import { TextAreaField } from "~/components/ui/fields";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { EMERGENCY_CATEGORY } from "~/features/reports/categories";
import { cityReportSettings } from "~/features/reports/reports.server";
import {
  addOpen311Key,
  parseBounds,
  parseCategories,
  revokeOpen311Key,
  updateReportArea,
} from "~/features/reports/settings.server";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { formatTokyo } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "通報の設定 | 管理画面" }];

export async function loader({ context }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const s = await cityReportSettings(getDb(), context.get(tenantContext).id);
  return {
    bounds: s.bounds,
    categories: (s.ownCategories ?? []).join("\n"),
    keys: s.open311Keys.map((k) => ({ name: k.name, createdAt: k.createdAt })),
  };
}

type ActionResult = { error?: string; saved?: string; newKey?: { name: string; key: string } };

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenantId = context.get(tenantContext).id;
  const actor = { staffUserId: staff.user.id, ip: clientAddress(context) };
  const form = await readForm(request);
  const v = (k: string) => String(form.get(k) ?? "");
  const fail = (error: string) => data<ActionResult>({ error }, { status: 400 });
  switch (v("intent")) {
    case "area": {
      const bounds = parseBounds({ south: v("south"), west: v("west"), north: v("north"), east: v("east") });
      if (!bounds.ok) return fail(bounds.message);
      const categories = parseCategories(v("categories"));
      if (!categories.ok) return fail(categories.message);
      await updateReportArea(getDb(), tenantId, { bounds: bounds.value, categories: categories.value }, actor);
      return { saved: "区域と種類を保存しました。" } satisfies ActionResult;
    }
    case "add-key": {
      const r = await addOpen311Key(getDb(), tenantId, v("name"), actor);
      if (!r.ok) return fail(r.message);
      return { newKey: { name: v("name").trim(), key: r.value } } satisfies ActionResult;
    }
    case "revoke-key":
      await revokeOpen311Key(getDb(), tenantId, v("name"), actor);
      return { saved: `「${v("name")}」のAPIキーを削除しました。` } satisfies ActionResult;
    default:
      return fail("操作を選んでください。");
  }
}

export default function ReportSettingsPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const b = loaderData.bounds;
  const result = actionData as ActionResult | undefined;
  return (
    <>
      <PageHeader
        title="通報の設定"
        description="住民が通報できる区域、通報の種類、Open311で連携するシステムのAPIキーです。"
      />
      {result?.error ? (
        <Notice variant="error" className="mb-6">
          {result.error}
        </Notice>
      ) : null}
      {result?.saved ? (
        <Notice variant="success" className="mb-6">
          {result.saved}
        </Notice>
      ) : null}
      {result?.newKey ? (
        <Notice variant="success" title={`「${result.newKey.name}」のAPIキー`} className="mb-6">
          <p>このキーは今だけ表示されます。連携先に安全な方法で渡してください。</p>
          <p className="mt-2 font-mono break-all">{result.newKey.key}</p>
        </Notice>
      ) : null}
      <section aria-labelledby="area" className="mb-10 max-w-3xl">
        <h2 id="area" className="text-std-20B-150">
          区域と種類
        </h2>
        <Form method="post" className="mt-4 flex flex-col gap-4">
          <input type="hidden" name="intent" value="area" />
          <p>
            区域の外の地点は、住民に丁寧にお断りします。緯度・経度（度）で、市の南・西・北・東の端を入力してください。空欄なら日本国内のどこでも受け付けます。
          </p>
          <div className="flex flex-wrap gap-4">
            <TextField label="南の端（緯度）" name="south" inputMode="decimal" defaultValue={b?.south ?? ""} />
            <TextField label="西の端（経度）" name="west" inputMode="decimal" defaultValue={b?.west ?? ""} />
            <TextField label="北の端（緯度）" name="north" inputMode="decimal" defaultValue={b?.north ?? ""} />
            <TextField label="東の端（経度）" name="east" inputMode="decimal" defaultValue={b?.east ?? ""} />
          </div>
          <TextAreaField
            label="通報の種類（1行に1つ、12個まで）"
            name="categories"
            defaultValue={loaderData.categories}
            hint={`空欄なら標準の種類（道路の穴・段差、街灯の故障、公園の遊具、河川、不法投棄、その他）です。「${EMERGENCY_CATEGORY}」はいつも先頭に入り、選んだ住民にはすぐ緊急の電話番号を案内します。`}
          />
          <div>
            <Button type="submit" disabled={busy}>
              保存する
            </Button>
          </div>
        </Form>
      </section>
      <section aria-labelledby="open311" className="max-w-3xl">
        <h2 id="open311" className="text-std-20B-150">
          Open311（GeoReport v2）
        </h2>
        <p className="mt-2">
          連携先ごとにAPIキーを発行します。エンドポイント：<code>/c/{params.city}/open311/v2/services.json</code>、
          <code>requests.json</code>。通報者の情報は連携先に渡りません。
        </p>
        {loaderData.keys.length ? (
          <ul className="mt-4 flex flex-col gap-2">
            {loaderData.keys.map((k) => (
              <li key={k.name} className="flex flex-wrap items-center gap-4">
                <span>
                  {k.name}（{formatTokyo(new Date(k.createdAt), "yyyy/MM/dd")} 発行）
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke-key" />
                  <input type="hidden" name="name" value={k.name} />
                  <Button type="submit" variant="danger" disabled={busy}>
                    削除
                  </Button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-4">APIキーはまだありません（Open311の通報の一覧と登録はすべてお断りします）。</p>
        )}
        <Form method="post" className="mt-4 flex flex-wrap items-end gap-4">
          <input type="hidden" name="intent" value="add-key" />
          <TextField label="連携先の名前" name="name" required />
          <Button type="submit" variant="secondary" disabled={busy}>
            APIキーを発行する
          </Button>
        </Form>
      </section>
    </>
  );
}
