import { Form } from "react-router";
import type { Route } from "./+types/vendor.jobs";
import { clientAddress } from "~/lib/client-address.server";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { listFailedJobs, retryFailedJob, type FailedJobRow } from "~/features/jobs-admin/failed-jobs.server";
import { vendorContext } from "~/tenants/context";
import { formatTokyo } from "~/lib/japan-time";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "失敗したジョブ | 窓口 ベンダーコンソール" }];

export async function loader() {
  return listFailedJobs(getDb());
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  return retryFailedJob(getDb(), {
    vendorUserId: context.get(vendorContext).user.id,
    ip: clientAddress(context),
    queue: String(form.get("queue") ?? ""),
    jobId: String(form.get("jobId") ?? ""),
  });
}

const when = (iso: string | null) => (iso ? formatTokyo(new Date(iso), "yyyy/M/d H:mm:ss") : "—");

export default function VendorJobs({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title="失敗したジョブ"
        description="メール送信や LINE 配信などのバックグラウンド処理のうち、再試行をすべて使い切って失敗したものです。原因を取り除いてから再実行してください。"
      />
      {actionData ? (
        <Notice variant={actionData.ok ? "success" : "error"} className="mt-4">
          {actionData.message}
        </Notice>
      ) : null}
      {!loaderData.ok ? (
        <Notice variant="error" className="mt-4">
          ジョブの基盤（Redis）に接続できないため、一覧を表示できません。予約などの受付は止まっていません（処理は復旧後に送られます）。
        </Notice>
      ) : (
        <DataTable<FailedJobRow>
          className="mt-6"
          caption={`失敗したジョブ（${loaderData.jobs.length}件）`}
          rows={loaderData.jobs}
          rowKey={(r) => `${r.queue}:${r.id}`}
          emptyMessage="失敗したジョブはありません。"
          columns={[
            { header: "ジョブ", cell: (r) => r.name, rowHeader: true },
            { header: "自治体", cell: (r) => r.cityName ?? "（全体）" },
            { header: "試行回数", cell: (r) => r.attemptsMade, numeric: true },
            { header: "失敗した日時", cell: (r) => when(r.failedAt) },
            { header: "理由", cell: (r) => <span className="break-all">{r.failedReason}</span> },
            {
              header: "操作",
              cell: (r) => (
                <Form method="post">
                  <input type="hidden" name="queue" value={r.queue} />
                  <input type="hidden" name="jobId" value={r.id} />
                  <Button type="submit" variant="secondary" aria-label={`${r.name}（${r.cityName ?? "全体"}）を再実行`}>
                    再実行
                  </Button>
                </Form>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
