import { Form, Link } from "react-router";
import type { Route } from "./+types/c.$city.admin.faq.unanswered";
import { requireRole } from "~/auth/guards.server";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { getDb } from "#db/client.server";
import { dismissUnanswered, listUnanswered } from "~/features/faq/admin.server";
import { UNANSWERED_DAYS } from "~/features/faq/faq.schemas";
import { formatTokyo } from "~/lib/japan-time";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { staffContext, tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "未回答の質問 | 管理画面" }];

export async function loader({ context }: Route.LoaderArgs) {
  requireRole(context, ["admin", "analyst"]);
  const rows = await listUnanswered(getDb(), context.get(tenantContext).id);
  return {
    rows: rows.map((r) => ({
      id: r.id,
      text: r.text,
      count: r.count,
      last: formatTokyo(r.lastAskedAt, "M月d日 HH:mm"),
    })),
    canEdit: context.get(staffContext).membership.role === "admin",
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const form = await readForm(request);
  const id = String(form.get("id") ?? "");
  const result = await dismissUnanswered(getDb(), context.get(tenantContext).id, id, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  return result.ok ? { message: null } : { message: result.message };
}

export default function UnansweredPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const base = `/c/${params.city}/admin/faq`;
  return (
    <>
      <PageHeader
        title="未回答の質問"
        description={`LINEで尋ねられ、よくある質問から答えられなかった言葉と回数です（誰が尋ねたかは記録していません）。${UNANSWERED_DAYS}日間尋ねられなかったものは自動で消えます。`}
      />
      <p className="mb-6">
        <Link to={base}>よくある質問の一覧へ戻る</Link>
      </p>
      {actionData?.message ? (
        <Notice variant="error" className="mb-6">
          {actionData.message}
        </Notice>
      ) : null}
      <DataTable
        caption="未回答の質問"
        captionHidden
        rows={loaderData.rows}
        rowKey={(r) => r.id}
        emptyMessage="未回答の質問はありません。"
        columns={[
          { header: "尋ねられた言葉", rowHeader: true, cell: (r) => r.text },
          { header: "回数", cell: (r) => `${r.count}回` },
          { header: "最後に尋ねられた日時", cell: (r) => r.last },
          ...(loaderData.canEdit
            ? [
                {
                  header: "操作",
                  cell: (r: (typeof loaderData.rows)[number]) => (
                    <div className="flex flex-wrap items-center gap-3">
                      <Link to={`${base}/new?from=${r.id}`}>FAQに登録</Link>
                      <Form method="post">
                        <input type="hidden" name="id" value={r.id} />
                        <Button type="submit" variant="secondary">
                          一覧から外す
                        </Button>
                      </Form>
                    </div>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
