import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.garbage.import";
import { requireRole } from "~/auth/guards.server";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { savePending } from "~/features/garbage/garbage.server";
import { previewImport } from "~/features/garbage/import.server";
import { filesFromForm, MAX_UPLOAD_BYTES } from "~/features/garbage/upload.server";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { formatDateJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "ごみの日データの取り込み | 管理画面" }];

export function loader({ context }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  return { areas: context.get(tenantContext).areas };
}

/** 読み込む (preview, stored as pending) → 保存する (all-or-nothing, audited). Admin only. */
export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_UPLOAD_BYTES)
    return { step: "error" as const, error: "ファイルが大きすぎます（1ファイル2MBまで）。", problems: [] };
  const form = await readForm(request, { maxBytes: MAX_UPLOAD_BYTES });
  const actor = { staffUserId: staff.user.id, ip: clientAddress(context) };
  if (form.get("intent") === "save") {
    const saved = await savePending(
      getDb(),
      tenant,
      { extendAreas: form.get("extendAreas") === "on", pendingAt: String(form.get("pendingAt") ?? "") },
      actor,
    );
    if (saved.ok) return redirect(`/c/${params.city}/admin/garbage?saved=1`);
    return { step: "error" as const, error: saved.message, problems: [] };
  }
  const files = await filesFromForm(form);
  if (!files.ok) return { step: "error" as const, error: files.error, problems: [] };
  const r = await previewImport(getDb(), tenant, files.files, new Date(), String(form.get("sampleArea") ?? ""));
  if (!r.ok) return { step: "error" as const, error: null, problems: r.problems };
  return { step: "preview" as const, preview: r.preview };
}

const list = (names: string[]) => (names.length ? names.join("、") : "なし");

export default function GarbageImportPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const preview = actionData?.step === "preview" ? actionData.preview : null;
  const failure = actionData?.step === "error" ? actionData : null;
  return (
    <>
      <PageHeader
        title="ごみの日データの取り込み"
        description="5374（ゴミナシ）形式のCSV一式を読み込み、変わる内容を確認してから保存します。1行でも問題があれば何も保存しません。"
      />
      {failure?.error ? (
        <Notice variant="error" className="mb-6">
          {failure.error}
        </Notice>
      ) : null}
      {failure && failure.problems.length ? (
        <Notice
          variant="error"
          title={`${failure.problems.length}件の問題があるため、何も保存していません。修正してもう一度読み込んでください。`}
          className="mb-6"
        >
          <ul className="list-disc pl-6">
            {failure.problems.slice(0, 200).map((p, i) => (
              <li key={i}>
                {p.file} {p.line}行目: {p.message}
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}

      {preview ? (
        <Card title="読み込んだ内容（まだ保存していません）" className="mb-8 max-w-3xl">
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2">
            <dt className="font-bold">地区</dt>
            <dd>{preview.counts.areas}地区</dd>
            <dt className="font-bold">ごみの種類</dt>
            <dd>{preview.counts.categories}種類</dd>
            <dt className="font-bold">品目</dt>
            <dd>{preview.counts.items}品目</dd>
            <dt className="font-bold">追加される地区</dt>
            <dd>{list(preview.areasAdded)}</dd>
            <dt className="font-bold">なくなる地区</dt>
            <dd>{list(preview.areasRemoved)}</dd>
            <dt className="font-bold">収集日が変わる地区</dt>
            <dd>{list(preview.areasChanged)}</dd>
            <dt className="font-bold">追加・削除される種類</dt>
            <dd>
              追加: {list(preview.categoriesAdded)} ／ 削除: {list(preview.categoriesRemoved)}
            </dd>
            <dt className="font-bold">データのない市の地区</dt>
            <dd>{list(preview.cityAreasWithout)}</dd>
          </dl>
          {preview.sample ? (
            <>
              <h3 className="mt-6 font-bold">{preview.sample.area}の次の収集日（確認用）</h3>
              <ul className="mt-2 list-disc pl-6">
                {preview.sample.next.map((n) => (
                  <li key={n.category}>
                    {n.category}：{n.date ? formatDateJa(n.date) : "予定なし"}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <Form method="post" encType="multipart/form-data" className="mt-6 space-y-4">
            <input type="hidden" name="intent" value="save" />
            <input type="hidden" name="pendingAt" value={preview.pendingAt} />
            {preview.notCityAreas.length ? (
              <label className="flex items-start gap-3">
                <input type="checkbox" name="extendAreas" className="mt-2 size-5" />
                <span>
                  市の地区にない地名（{preview.notCityAreas.join("、")}
                  ）を、市の地区（LINEの友だちが選ぶ地区）に追加する
                </span>
              </label>
            ) : null}
            <Button type="submit" disabled={busy}>
              この内容で保存する
            </Button>
          </Form>
        </Card>
      ) : null}

      <Form method="post" encType="multipart/form-data" className="max-w-2xl space-y-6" noValidate>
        <input type="hidden" name="intent" value="preview" />
        <TextField
          label="5374形式のCSVファイル（まとめて選択）"
          name="files"
          type="file"
          multiple
          accept=".csv,text/csv"
          required
          hint="area_days.csv（必須）、center.csv、description.csv、target.csv、remarks.csv。UTF-8またはShift_JIS、1ファイル2MBまで。"
        />
        <SelectField
          label="次の収集日を確認する地区"
          name="sampleArea"
          placeholder="ファイルの最初の地区"
          options={loaderData.areas.map((a) => ({ value: a, label: a }))}
        />
        <Button type="submit" disabled={busy} variant={preview ? "secondary" : "primary"}>
          読み込んで確認する
        </Button>
      </Form>
      <p className="mt-8">
        <Link to={`/c/${params.city}/admin/garbage`}>ごみの日の管理に戻る</Link>
      </p>
    </>
  );
}
