import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.roster";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { controlClassName, FieldShell, useFieldIds } from "~/components/ui/field-parts";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { Pager } from "~/components/ui/pager";
import { getDb } from "#db/client.server";
import { queueRosterImport } from "~/features/roster/roster-queue.server";
import { listRosterImports } from "~/features/roster/roster-store.server";
import {
  formatCount,
  isOpenStatus,
  MAX_UPLOAD_BYTES,
  ROSTER_POLL_MS,
  STATUS_LABEL,
} from "~/features/roster/roster-view";
import { usePollWhile } from "~/lib/use-poll-while";
import { saveUploadedFile } from "~/features/roster/upload.server";
import { formatDateTimeJa } from "~/lib/japan-time";
import { formFailure } from "~/lib/forms";
import { pageInfo, readPage } from "~/lib/paging";
import { tenantContext } from "~/tenants/context";

export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const page = await listRosterImports(getDb(), tenant.id, readPage(new URL(request.url)));
  return { imports: page.items, paging: pageInfo(page) };
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  // The body is streamed to a temp file, never parsed into memory (files up to 50 MB), then stored
  // in the database for the worker, which runs the import (ADR 020); the page shows its progress.
  const upload = await saveUploadedFile(request, { field: "file" });
  if (!upload.ok) return formFailure({ file: upload.message });
  const { importId } = await queueRosterImport(getDb(), {
    tenantId: tenant.id,
    file: upload.file,
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  return redirect(`/c/${tenant.slug}/admin/roster/${importId}`);
}

export default function RosterPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const fileError = actionData && !actionData.ok ? actionData.errors.file : undefined;
  const { controlId, hintId, errorId, describedBy } = useFieldIds(undefined, {
    hint: "CSVファイル（UTF-8 または Shift_JIS）、50MBまで",
    error: fileError,
  });
  const imports = loaderData.imports;
  usePollWhile(
    imports.some((i) => isOpenStatus(i.status)),
    ROSTER_POLL_MS,
  );
  return (
    <>
      <PageHeader
        title="接種券名簿の取り込み"
        description="接種券番号と生年月日の名簿を取り込むと、住民がWEB・LINEで本人確認をして予約できるようになります。"
      />
      <Notice variant="info" role="none" title="取り込みのきまり">
        <ul className="list-disc pl-6">
          <li>
            1行目は見出しです。「接種券番号」と「生年月日」の列が必要です（「券番号」「生年月日(西暦)」なども可）。ほかの列は読み込まず、保存もしません。
          </li>
          <li>
            接種券番号は10桁の数字です（全角・ハイフン入りも可）。生年月日は西暦（1960-01-01、1960/1/1、19600101）でも和暦（昭和35年1月1日、S35.1.1）でも構いません。
          </li>
          <li>1行でも誤りがあると、ファイル全体を取り込みません。結果の画面に誤りのある行をすべて表示します。</li>
          <li>
            すでに登録済みの接種券番号は、生年月日が同じなら変更なしとして扱い、異なる場合は誤りとして表示します。
          </li>
          <li>接種券番号はそのまま保存せず、照合用の値に変換して保存します。</li>
        </ul>
      </Notice>

      <h2 className="mt-10 text-2xl font-bold">名簿ファイルを取り込む</h2>
      <Form method="post" encType="multipart/form-data" className="mt-4 space-y-6" noValidate>
        <FieldShell
          controlId={controlId}
          label="名簿のCSVファイル"
          required
          hint={`CSVファイル（UTF-8 または Shift_JIS）、${MAX_UPLOAD_BYTES / 1024 / 1024}MBまで`}
          hintId={hintId}
          error={fileError}
          errorId={errorId}
        >
          <input
            id={controlId}
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            aria-invalid={fileError ? true : undefined}
            aria-describedby={describedBy}
            className={controlClassName}
          />
        </FieldShell>
        <Button type="submit" disabled={busy}>
          {busy ? "送信しています…" : "取り込む"}
        </Button>
      </Form>

      <h2 className="mt-10 text-2xl font-bold">これまでの取り込み</h2>
      <DataTable
        className="mt-4"
        caption="これまでの取り込み（新しい順）"
        captionHidden
        rows={imports}
        rowKey={(i) => i.id}
        emptyMessage="まだ取り込みはありません。"
        columns={[
          { header: "開始日時", cell: (i) => formatDateTimeJa(i.createdAt) },
          {
            header: "ファイル名",
            rowHeader: true,
            cell: (i) => <Link to={`/c/${params.city}/admin/roster/${i.id}`}>{i.filename}</Link>,
          },
          { header: "状態", cell: (i) => STATUS_LABEL[i.status] },
          { header: "行数", numeric: true, cell: (i) => formatCount(i.rowsTotal) },
          {
            header: "新規登録",
            numeric: true,
            cell: (i) =>
              i.status === "completed"
                ? formatCount(i.rowsImported)
                : i.status === "running"
                  ? `${formatCount(i.rowsImported)} 行確認`
                  : i.status === "queued"
                    ? "—"
                    : "0",
          },
          { header: "実行した職員", cell: (i) => i.createdByName ?? "—" },
        ]}
      />
      <Pager {...loaderData.paging} shown={imports.length} label="これまでの取り込みのページ" />
    </>
  );
}
