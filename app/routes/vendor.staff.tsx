import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/vendor.staff";
import { clientAddress } from "~/lib/client-address.server";
import { twoFactorKey } from "~/auth/two-factor/pages.server";
import { listVendorStaff, resetVendorTwoFactor, type VendorStaffRow } from "~/auth/two-factor/vendor-reset.server";
import { Button } from "~/components/ui/button";
import { DataTable } from "~/components/ui/data-table";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { VendorInvitationsPanel } from "~/features/vendor/vendor-invitations-panel";
import {
  cancelVendorInvitation,
  createVendorInvitation,
  listOpenVendorInvitations,
  resendVendorInvitation,
} from "~/features/vendor/vendor-invitations.server";
import { vendorInviteSchema } from "~/features/vendor/vendor-staff.schemas";
import { setVendorStaffActive } from "~/features/vendor/vendor-staff-status.server";
import { env } from "~/lib/env.server";
import { masterKey } from "~/lib/crypto.server";
import { formFailure, parseForm } from "~/lib/forms";
import { vendorContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export const meta: Route.MetaFunction = () => [{ title: "運営スタッフ | 窓口 ベンダーコンソール" }];

export async function loader({ context }: Route.LoaderArgs) {
  const db = getDb();
  const [staff, invitations] = await Promise.all([listVendorStaff(db), listOpenVendorInvitations(db)]);
  return { me: context.get(vendorContext).user.id, staff, invitations };
}

/**
 * Inviting vendor staff, resending or cancelling an invitation (ADR 023), or resetting a colleague's
 * two-factor (ADR 015). The layout's requireVendor has checked our own second step.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const actorId = context.get(vendorContext).user.id;
  const db = getDb();
  const intent = String(form.get("intent") ?? "");
  if (intent === "invite") {
    const parsed = parseForm(vendorInviteSchema, form);
    if (!parsed.ok) return { intent: "invite" as const, ...parsed };
    const created = await createVendorInvitation(db, masterKey(env().MADOGUCHI_MASTER_KEY), {
      ...parsed.data,
      invitedBy: { kind: "vendor", id: actorId },
      ip: clientAddress(context),
    });
    if (!created.ok) return { intent: "invite" as const, ...formFailure({ email: created.message }, parsed.data) };
    return {
      intent: "invite" as const,
      ok: true as const,
      message: `${parsed.data.email} に招待メールを送信しました。`,
    };
  }
  if (intent === "resend") {
    return {
      intent: "resend" as const,
      ...(await resendVendorInvitation(db, masterKey(env().MADOGUCHI_MASTER_KEY), {
        invitationId: String(form.get("invitationId") ?? ""),
        actorId,
        ip: clientAddress(context),
      })),
    };
  }
  if (intent === "disable" || intent === "enable") {
    const targetId = String(form.get("vendorUserId") ?? "");
    // 利用停止 asks once more on the page (works without JavaScript); 再開 does not need to.
    if (intent === "disable" && form.get("confirmed") !== "1") return { intent: "confirm-disable" as const, targetId };
    return {
      intent: "status" as const,
      ...(await setVendorStaffActive(db, {
        actorId,
        targetId,
        active: intent === "enable",
        ip: clientAddress(context),
      })),
    };
  }
  if (intent === "cancel") {
    return {
      intent: "cancel" as const,
      ...(await cancelVendorInvitation(db, {
        invitationId: String(form.get("invitationId") ?? ""),
        actorId,
        ip: clientAddress(context),
      })),
    };
  }
  const result = await resetVendorTwoFactor(getDb(), twoFactorKey(), {
    actorId: context.get(vendorContext).user.id,
    targetId: String(form.get("vendorUserId") ?? ""),
    code: String(form.get("code") ?? ""),
    ip: clientAddress(context),
  });
  return { intent: "reset" as const, ...result, targetId: String(form.get("vendorUserId") ?? "") };
}

const STATUS = { enrolled: "設定済み", pending: "設定中", none: "未設定" } as const;

export default function VendorStaff({ loaderData, actionData: result }: Route.ComponentProps) {
  const busy = useNavigation().state !== "idle";
  const actionData = result?.intent === "reset" ? result : undefined;
  const status = result?.intent === "status" ? result : undefined;
  const confirming = result?.intent === "confirm-disable" ? result.targetId : null;
  const invitation =
    result && (result.intent === "invite" || result.intent === "resend" || result.intent === "cancel")
      ? result
      : undefined;
  return (
    <>
      <PageHeader
        title="運営スタッフ"
        description="ベンダーコンソールを使う運営スタッフです。新しい運営スタッフは下の「運営スタッフを招待」から招待します。認証アプリと回復コードの両方を失った運営スタッフは、ほかの運営スタッフが2段階認証をリセットできます。リセットすると、その人のログイン中の端末はすべてログアウトされ、次回のログイン時に設定をやり直します。ご自身のリセットはできません。"
      />
      {/* A refusal tied to a row shows at that row's code field; everything else here. */}
      {actionData &&
      (actionData.ok ||
        !loaderData.staff.some(
          (r) => r.id === actionData.targetId && r.twoFactor !== "none" && r.id !== loaderData.me,
        )) ? (
        <Notice variant={actionData.ok ? "success" : "error"} className="mt-4">
          {actionData.message}
        </Notice>
      ) : null}
      {status ? (
        <Notice variant={status.ok ? "success" : "error"} className="mt-4">
          {status.message}
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
          { header: "状態", cell: (r) => (r.disabled ? "利用停止中" : "利用中") },
          { header: "2段階認証", cell: (r) => STATUS[r.twoFactor] },
          { header: "ログイン中の端末", cell: (r) => r.sessions, numeric: true },
          {
            header: "操作",
            cell: (r) =>
              r.id === loaderData.me ? (
                "（ご自身）"
              ) : (
                <div className="space-y-3">
                  {!r.disabled && r.twoFactor !== "none" ? (
                    <Form method="post" className="flex flex-wrap items-end gap-2">
                      <input type="hidden" name="vendorUserId" value={r.id} />
                      <TextField
                        label={`ご自身の確認コード（${r.displayName}さんのリセット）`}
                        name="code"
                        inputMode="numeric"
                        autoComplete="one-time-code"
                        required
                        error={
                          actionData && !actionData.ok && actionData.targetId === r.id ? actionData.message : undefined
                        }
                      />
                      <Button type="submit" variant="danger" disabled={busy}>
                        2段階認証をリセット
                      </Button>
                    </Form>
                  ) : null}
                  <StatusControl row={r} confirming={confirming === r.id} busy={busy} />
                </div>
              ),
          },
        ]}
      />
      <VendorInvitationsPanel
        invitations={loaderData.invitations}
        busy={busy}
        failure={invitation && !invitation.ok && "errors" in invitation ? invitation : null}
        notice={
          invitation && "message" in invitation && invitation.message
            ? { ok: invitation.ok, message: invitation.message }
            : null
        }
      />
    </>
  );
}

/** 利用を停止する (asked once more) / 利用を再開する for a colleague's row. */
function StatusControl({ row, confirming, busy }: { row: VendorStaffRow; confirming: boolean; busy: boolean }) {
  if (row.disabled) {
    return (
      <Form method="post">
        <input type="hidden" name="intent" value="enable" />
        <input type="hidden" name="vendorUserId" value={row.id} />
        <Button type="submit" variant="secondary" disabled={busy} aria-label={`${row.displayName}さんの利用を再開する`}>
          利用を再開する
        </Button>
      </Form>
    );
  }
  if (!confirming) {
    return (
      <Form method="post">
        <input type="hidden" name="intent" value="disable" />
        <input type="hidden" name="vendorUserId" value={row.id} />
        <Button type="submit" variant="danger" disabled={busy} aria-label={`${row.displayName}さんの利用を停止する`}>
          利用を停止する
        </Button>
      </Form>
    );
  }
  return (
    <Notice variant="warning" title={`${row.displayName}さんを利用停止にしますか`}>
      <p>
        ベンダーコンソールにログインできなくなり、ログイン中の端末からもログアウトされます。退職や異動のときに使います。あとから「利用を再開する」で戻せます。
      </p>
      <div className="mt-2 flex gap-2">
        <Form method="post">
          <input type="hidden" name="intent" value="disable" />
          <input type="hidden" name="vendorUserId" value={row.id} />
          <input type="hidden" name="confirmed" value="1" />
          <Button type="submit" variant="danger" disabled={busy}>
            利用停止にする
          </Button>
        </Form>
        <a href="?" className="underline">
          やめる
        </a>
      </div>
    </Notice>
  );
}
