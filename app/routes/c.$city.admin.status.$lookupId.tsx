import { data, Form, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.status.$lookupId";
import { requireRole } from "~/auth/guards.server";
import { Button, ButtonLink } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import {
  getLookup,
  listImports,
  MAX_UPLOAD_BYTES,
  queueImport,
  viewImportReport,
} from "~/features/status-lookup/admin.server";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { formatDateJa, formatDateTimeJa } from "~/lib/japan-time";
import { usePollWhile } from "~/lib/use-poll-while";
import { staffContext, tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.lookup.title ?? "照会"} | 管理画面` }];

const IMPORT_STATUS: Record<string, string> = {
  queued: "待機中",
  running: "取り込み中",
  completed: "完了",
  failed: "取り込めませんでした",
};

export async function loader({ context, params, request }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin", "analyst"]);
  const tenantId = context.get(tenantContext).id;
  const lookup = await getLookup(getDb(), tenantId, params.lookupId, new Date());
  if (!lookup) throw data({ message: "照会が見つかりません。" }, { status: 404 });
  const canEdit = context.get(staffContext).membership.role === "admin";
  // The refusal report names lines and key tails of residents' rows: admins only, and each view audited.
  const reportId = canEdit ? new URL(request.url).searchParams.get("report") : null;
  const report = reportId
    ? await viewImportReport(getDb(), tenantId, lookup.id, reportId, {
        staffUserId: staff.user.id,
        ip: clientAddress(context),
      })
    : null;
  const imports = await listImports(getDb(), tenantId, lookup.id);
  return {
    canEdit,
    report,
    lookup: {
      id: lookup.id,
      title: lookup.title,
      keyLabel: lookup.keyLabel,
      opensOn: lookup.opensOn,
      closesOn: lookup.closesOn,
      statuses: lookup.statuses,
      counts: lookup.counts,
      days: lookup.days,
    },
    imports: imports.map((i) => ({
      id: i.id,
      filename: i.filename,
      status: i.status,
      rowsTotal: i.rowsTotal,
      rowsDone: i.rowsDone,
      rowsAdded: i.rowsAdded,
      rowsChanged: i.rowsChanged,
      errorCount: i.errors.length,
      createdAt: i.createdAt,
      changes: i.changes,
    })),
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const form = await readForm(request, { maxBytes: MAX_UPLOAD_BYTES + 64 * 1024 });
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0)
    return data({ error: "CSVファイルを選んでください。" }, { status: 400 });
  const result = await queueImport(
    getDb(),
    context.get(tenantContext).id,
    { lookupId: params.lookupId, filename: file.name, bytes: Buffer.from(await file.arrayBuffer()) },
    { staffUserId: staff.user.id, ip: clientAddress(context) },
  );
  if (!result.ok) return data({ error: result.message }, { status: 400 });
  return { error: null, queued: true };
}

export default function LookupPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const { lookup, imports, canEdit, report } = loaderData;
  const busy = useNavigation().state === "submitting";
  usePollWhile(
    imports.some((i) => i.status === "queued" || i.status === "running"),
    2000,
  );
  const label = (code: string) => lookup.statuses.find((s) => s.code === code)?.label ?? code;
  return (
    <>
      <PageHeader
        title={lookup.title}
        actions={
          canEdit ? (
            <ButtonLink to={`/c/${params.city}/admin/status/${lookup.id}/edit`} variant="secondary">
              編集
            </ButtonLink>
          ) : null
        }
        description={`受付期間 ${formatDateJa(lookup.opensOn)}〜${formatDateJa(lookup.closesOn)}`}
      />
      <section aria-labelledby="counts" className="max-w-3xl">
        <h2 id="counts" className="text-std-20B-150">
          状況ごとの件数
        </h2>
        <ul className="mt-2 list-disc pl-5">
          {lookup.counts.map((c) => (
            <li key={c.code}>
              {c.label}：{c.rows.toLocaleString("ja-JP")}件
            </li>
          ))}
        </ul>
        <h2 className="mt-6 text-std-20B-150">住民の確認（日ごと）</h2>
        {lookup.days.length === 0 ? (
          <p className="mt-2">まだ確認はありません。</p>
        ) : (
          <ul className="mt-2 list-disc pl-5">
            {lookup.days.map((d) => (
              <li key={d.day}>
                {formatDateJa(d.day)}：{(d.found + d.notFound).toLocaleString("ja-JP")}回（該当なし{" "}
                {d.notFound.toLocaleString("ja-JP")}回）
              </li>
            ))}
          </ul>
        )}
      </section>
      {canEdit ? (
        <section aria-labelledby="upload" className="mt-10 max-w-3xl">
          <h2 id="upload" className="text-std-20B-150">
            CSVで状況を取り込む
          </h2>
          <p className="mt-2">
            見出し行に「{lookup.keyLabel}
            」「生年月日」「状況」（日付を見せる状況があれば「日付」）を書いたCSV（UTF-8またはShift_JIS）。生年月日は西暦・和暦どちらでも、数字は全角でもかまいません。1行でも誤りがあれば何も取り込みません。同じ番号があれば状況を更新し、変わった分を記録します（お知らせを希望した住民に届きます）。
          </p>
          {actionData?.error ? (
            <Notice variant="error" className="mt-4">
              {actionData.error}
            </Notice>
          ) : null}
          {actionData && "queued" in actionData ? (
            <Notice variant="success" className="mt-4">
              取り込みを受け付けました。進み具合は下の一覧に表示されます。
            </Notice>
          ) : null}
          <Form method="post" encType="multipart/form-data" className="mt-4 flex flex-wrap items-end gap-3">
            <div className="flex flex-col">
              <label htmlFor="status-file" className="font-bold">
                CSVファイル
              </label>
              <input id="status-file" name="file" type="file" accept=".csv,text/csv" required className="min-h-tap" />
            </div>
            <Button type="submit" variant="secondary" disabled={busy}>
              取り込む
            </Button>
          </Form>
        </section>
      ) : null}
      {report ? (
        <Notice
          variant="error"
          title={`「${report.filename}」を取り込めませんでした（何も変更していません）`}
          className="mt-10 max-w-3xl"
        >
          <ul className="list-disc pl-5">
            {report.errors.map((e, i) => (
              <li key={i}>{e.line > 0 ? `${e.line}行目：${e.reason}` : e.reason}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <h2 className="mt-10 text-std-20B-150">取り込みの履歴</h2>
      <DataTable
        caption="取り込みの履歴"
        captionHidden
        rows={imports}
        rowKey={(i) => i.id}
        emptyMessage="まだ取り込みはありません。"
        columns={[
          { header: "日時", cell: (i) => formatDateTimeJa(i.createdAt) },
          { header: "ファイル", rowHeader: true, cell: (i) => i.filename },
          {
            header: "結果",
            cell: (i) =>
              i.status === "running"
                ? `取り込み中（${i.rowsDone.toLocaleString("ja-JP")} / ${i.rowsTotal.toLocaleString("ja-JP")}行）`
                : i.status === "completed"
                  ? `完了：${i.rowsTotal.toLocaleString("ja-JP")}行（追加 ${i.rowsAdded}件・状況の変更 ${i.rowsChanged}件）`
                  : (IMPORT_STATUS[i.status] ?? i.status),
          },
          {
            header: "変更の内訳・エラー",
            cell: (i) =>
              i.status === "failed" ? (
                canEdit ? (
                  <a href={`?report=${i.id}`}>エラー {i.errorCount}件を見る</a>
                ) : (
                  `エラー ${i.errorCount}件`
                )
              ) : (
                i.changes.map((c) => `${label(c.fromStatus)}→${label(c.toStatus)} ${c.rows}件`).join("・") || "—"
              ),
          },
        ]}
      />
    </>
  );
}
