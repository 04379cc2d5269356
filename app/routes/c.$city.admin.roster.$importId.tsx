import { data, Link } from "react-router";
import type { Route } from "./+types/c.$city.admin.roster.$importId";
import { requireRole } from "~/auth/guards.server";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { getRosterImport } from "~/features/roster/roster-store.server";
import { formatCount, isOpenStatus, ROSTER_POLL_MS, STATUS_LABEL } from "~/features/roster/roster-view";
import { usePollWhile } from "~/lib/use-poll-while";
import { formatDateTimeJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loader({ context, params }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const found = UUID.test(params.importId) ? await getRosterImport(getDb(), tenant.id, params.importId) : null;
  if (!found) throw data({ message: "この取り込みの記録は見つかりません。" }, { status: 404 });
  return { item: found };
}

export function meta({ data: loaded }: Route.MetaArgs) {
  return [{ title: loaded ? `取り込み結果: ${loaded.item.filename}` : "取り込み結果" }];
}

export default function RosterImportPage({ loaderData, params }: Route.ComponentProps) {
  const { item } = loaderData;
  usePollWhile(isOpenStatus(item.status), ROSTER_POLL_MS);
  const listUrl = `/c/${params.city}/admin/roster`;
  return (
    <>
      <PageHeader title="名簿の取り込み結果" description={<p className="break-all">{item.filename}</p>} />
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
        <dt className="font-bold">状態</dt>
        <dd>{STATUS_LABEL[item.status]}</dd>
        <dt className="font-bold">開始</dt>
        <dd>
          {formatDateTimeJa(item.createdAt)}
          {item.createdByName ? `（${item.createdByName}）` : ""}
        </dd>
        {item.finishedAt ? (
          <>
            <dt className="font-bold">終了</dt>
            <dd>{formatDateTimeJa(item.finishedAt)}</dd>
          </>
        ) : null}
      </dl>

      <div className="mt-6">
        {item.status === "queued" ? <Queued total={item.rowsTotal} selfUrl={`${listUrl}/${item.id}`} /> : null}
        {item.status === "running" ? (
          <Progress done={item.rowsImported} total={item.rowsTotal} selfUrl={`${listUrl}/${item.id}`} />
        ) : null}
        {item.status === "completed" ? (
          <Notice variant="success" title="取り込みが完了しました。">
            全{formatCount(item.rowsTotal)}行のうち、新規登録 {formatCount(item.rowsImported)}件、登録済み（変更なし）
            {formatCount(item.rowsTotal - item.rowsImported)}件です。
          </Notice>
        ) : null}
        {item.status === "failed" ? (
          <Notice variant="error" title="取り込めませんでした。名簿は1件も登録されていません。">
            1行でも誤りがあるとファイル全体を取り込みません。下の表の行を直してから、ファイル全体をもう一度取り込んでください。
          </Notice>
        ) : null}
      </div>

      {item.errors.length ? (
        <DataTable
          className="mt-8"
          caption={`誤りのある行（${formatCount(item.errors.filter((e) => e.line > 0).length)}件を表示）`}
          rows={item.errors}
          columns={[
            {
              header: "行",
              numeric: true,
              rowHeader: true,
              cell: (e) => (e.line > 0 ? `${formatCount(e.line)}行目` : "—"),
            },
            { header: "内容", cell: (e) => e.reason },
          ]}
        />
      ) : null}

      <p className="mt-8">
        <Link to={listUrl}>接種券名簿の取り込みに戻る</Link>
      </p>
    </>
  );
}

/** Stored and waiting for the worker, or for another import of the city to end. */
function Queued({ total, selfUrl }: { total: number; selfUrl: string }) {
  return (
    <Notice variant="info" title="取り込みの順番を待っています。">
      <p>ファイルを受け付けました（約{formatCount(total)}行）。ほかの取り込みが終わりしだい、自動で始まります。</p>
      <p className="mt-2">
        この画面は自動で更新されます。<Link to={selfUrl}>最新の状態に更新</Link>
      </p>
    </Notice>
  );
}

function Progress({ done, total, selfUrl }: { done: number; total: number; selfUrl: string }) {
  return (
    <Notice variant="info" title="取り込み中です。">
      <p>
        {formatCount(done)} / {formatCount(total)} 行
      </p>
      <progress className="mt-2 w-full" value={done} max={Math.max(total, 1)} aria-label="確認済みの行数" />
      <p className="mt-2">
        この画面は自動で更新されます。<Link to={selfUrl}>最新の状態に更新</Link>
      </p>
    </Notice>
  );
}
