import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.staff";
import { clientIp } from "~/auth/rate-limit.server";
import { twoFactorKey } from "~/auth/two-factor/pages.server";
import { listVendorStaff, resetVendorTwoFactor, type VendorStaffRow } from "~/auth/two-factor/vendor-reset.server";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { vendorContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "運営スタッフ | 窓口 ベンダーコンソール" }];

export async function loader({ context }: Route.LoaderArgs) {
  return { me: context.get(vendorContext).user.id, staff: await listVendorStaff(getDb()) };
}

/** Resetting a colleague's two-factor (ADR 015): the layout's requireVendor has checked our own second step. */
export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const result = await resetVendorTwoFactor(getDb(), twoFactorKey(), {
    actorId: context.get(vendorContext).user.id,
    targetId: String(form.get("vendorUserId") ?? ""),
    code: String(form.get("code") ?? ""),
    ip: clientIp(request),
  });
  return { ...result, targetId: String(form.get("vendorUserId") ?? "") };
}

const STATUS = { enrolled: "設定済み", pending: "設定中", none: "未設定" } as const;

export default function VendorStaff({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <PageHeader
        title="運営スタッフ"
        description="認証アプリと回復コードの両方を失った運営スタッフは、ほかの運営スタッフが2段階認証をリセットできます。リセットすると、その人のログイン中の端末はすべてログアウトされ、次回のログイン時に設定をやり直します。ご自身のリセットはできません。"
      />
      {/* A refusal tied to a row shows at that row's code field; everything else here. */}
      {actionData && (actionData.ok || !loaderData.staff.some((r) => r.id === actionData.targetId && r.twoFactor !== "none" && r.id !== loaderData.me)) ? (
        <Notice variant={actionData.ok ? "success" : "error"} className="mt-4">
          {actionData.message}
        </Notice>
      ) : null}
      <DataTable<VendorStaffRow>
        className="mt-6"
        caption={`運営スタッフ（${loaderData.staff.length}人）`}
        rows={loaderData.staff}
        rowKey={(r) => r.id}
        columns={[
          { header: "名前", cell: (r) => r.displayName, rowHeader: true },
          { header: "メールアドレス", cell: (r) => <span className="break-all">{r.email}</span> },
          { header: "2段階認証", cell: (r) => STATUS[r.twoFactor] },
          { header: "ログイン中の端末", cell: (r) => r.sessions, numeric: true },
          {
            header: "操作",
            cell: (r) =>
              r.id === loaderData.me ? (
                "（ご自身）"
              ) : r.twoFactor === "none" ? (
                "—"
              ) : (
                <Form method="post" className="flex flex-wrap items-end gap-2">
                  <input type="hidden" name="vendorUserId" value={r.id} />
                  <TextField
                    label={`ご自身の確認コード（${r.displayName}さんのリセット）`}
                    name="code"
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    required
                    error={actionData && !actionData.ok && actionData.targetId === r.id ? actionData.message : undefined}
                  />
                  <Button type="submit" variant="danger" disabled={busy}>
                    2段階認証をリセット
                  </Button>
                </Form>
              ),
          },
        ]}
      />
    </>
  );
}
