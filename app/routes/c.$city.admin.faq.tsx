import { Form, Link, data } from "react-router";
import type { Route } from "./+types/c.$city.admin.faq";
import { requireRole } from "~/auth/guards.server";
import { Button, ButtonLink } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { listFaqEntries } from "~/features/faq/admin.server";
import { importFaqCsv } from "~/features/faq/import.server";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { tenantContext, staffContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "よくある質問 | 管理画面" }];

// Admins edit; analysts read (the answers residents get are no secret, and they study 未回答).
export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin", "analyst"]);
  const role = context.get(staffContext).membership.role;
  const saved = new URL(request.url).searchParams.get("saved");
  return { entries: await listFaqEntries(getDb(), context.get(tenantContext).id), saved, canEdit: role === "admin" };
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const form = await readForm(request, { maxBytes: 5 * 1024 * 1024 });
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0)
    return data({ imported: null, problems: [{ line: 0, message: "CSVファイルを選んでください。" }] }, { status: 400 });
  const result = await importFaqCsv(getDb(), context.get(tenantContext).id, new Uint8Array(await file.arrayBuffer()), {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  if (!result.ok) return data({ imported: null, problems: result.problems }, { status: 400 });
  return { imported: { added: result.added, updated: result.updated }, problems: [] };
}

export default function FaqAdminPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const base = `/c/${params.city}/admin/faq`;
  const { entries, canEdit } = loaderData;
  return (
    <>
      <PageHeader
        title="よくある質問"
        description="LINEで住民の質問に自動で答える内容と、公開のFAQページの内容です。公開中の質問だけが使われます。"
        actions={canEdit ? <ButtonLink to={`${base}/new`}>質問を追加</ButtonLink> : null}
      />
      <p className="mb-6 flex flex-wrap gap-4">
        <Link to={`${base}/unanswered`}>未回答の質問を見る</Link>
        <a href={`${base}/export?encoding=utf-8`}>CSVで書き出す（UTF-8）</a>
        <a href={`${base}/export?encoding=shift_jis`}>CSVで書き出す（Shift_JIS）</a>
        <Link to={`/c/${params.city}/faq`}>公開ページを見る</Link>
      </p>
      {loaderData.saved ? (
        <Notice variant="success" className="mb-6">
          「{loaderData.saved}」を保存しました。
        </Notice>
      ) : null}
      {actionData?.imported ? (
        <Notice variant="success" className="mb-6">
          CSVを取り込みました（追加 {actionData.imported.added}件・更新 {actionData.imported.updated}件）。
        </Notice>
      ) : null}
      {actionData?.problems.length ? (
        <Notice variant="error" title="CSVを取り込めませんでした（何も変更していません）" className="mb-6">
          <ul className="list-disc pl-5">
            {actionData.problems.slice(0, 50).map((p, i) => (
              <li key={i}>{p.line > 0 ? `${p.line}行目：${p.message}` : p.message}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <DataTable
        caption="よくある質問の一覧"
        captionHidden
        rows={entries}
        rowKey={(e) => e.id}
        emptyMessage="まだ質問がありません。「質問を追加」かCSVの取り込みで登録してください。"
        columns={[
          { header: "分野", cell: (e) => e.category },
          {
            header: "質問",
            rowHeader: true,
            cell: (e) => (canEdit ? <Link to={`${base}/${e.id}`}>{e.question}</Link> : e.question),
          },
          { header: "言いかえ", cell: (e) => (e.variants.length ? `${e.variants.length}件` : "なし") },
          { header: "状態", cell: (e) => (e.published ? "公開中" : "非公開") },
        ]}
      />
      {canEdit ? (
        <section aria-labelledby="faq-import" className="mt-10 max-w-3xl">
          <h2 id="faq-import" className="text-std-20B-150">
            CSVで取り込む
          </h2>
          <p className="mt-2">
            見出し行に「分野」「質問」「回答」（任意で「言いかえ」「公開」）を書いたCSV（UTF-8またはShift_JIS）。言いかえは「;」で区切ります。同じ質問がすでにあれば置き換え、ほかは追加します。1行でも誤りがあれば何も取り込みません。
          </p>
          <Form method="post" encType="multipart/form-data" className="mt-4 flex flex-wrap items-end gap-3">
            <div className="flex flex-col">
              <label htmlFor="faq-file" className="font-bold">
                CSVファイル
              </label>
              <input id="faq-file" name="file" type="file" accept=".csv,text/csv" required className="min-h-tap" />
            </div>
            <Button type="submit" variant="secondary">
              取り込む
            </Button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
