import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.staff";
import { requireRole } from "~/auth/guards.server";
import { clientAddress } from "~/lib/client-address.server";
import { roleLabel } from "~/components/layouts/role-label";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { PendingInvitations, StaffTable } from "~/features/staff/components/staff-table";
import { inviteSchema, ROLES } from "~/features/staff/staff.schemas";
import { inviteStaff, staffOverview } from "~/features/staff/staff-admin.server";
import { changeRoleSchema, removeMemberSchema, revokeInvitationSchema } from "~/features/staff/staff-manage.schemas";
import { changeStaffRole, removeStaffMember, revokeStaffInvitation } from "~/features/staff/staff-manage.server";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";
import { readForm } from "~/lib/form-body.server";

export async function loader({ context }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const overview = await staffOverview(getDb(), tenant.id, { staffUserId: staff.user.id, ip: clientAddress(context) });
  return { ...overview, me: staff.user.id };
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const form = await readForm(request);
  const actor = { staffUserId: staff.user.id, ip: clientAddress(context) };
  const intent = form.get("intent");
  if (intent === "role") {
    const parsed = parseForm(changeRoleSchema, form);
    if (!parsed.ok)
      return {
        ok: false as const,
        kind: "manage" as const,
        message: parsed.errors.role ?? "入力内容を確認してください。",
      };
    return {
      ...(await changeStaffRole(getDb(), { tenantId: tenant.id, ...parsed.data, actor })),
      kind: "manage" as const,
    };
  }
  if (intent === "remove") {
    const parsed = parseForm(removeMemberSchema, form);
    if (!parsed.ok) return { ok: false as const, kind: "manage" as const, message: "入力内容を確認してください。" };
    if (!parsed.data.confirmed)
      return { ok: true as const, kind: "confirm-remove" as const, membershipId: parsed.data.membershipId };
    return {
      ...(await removeStaffMember(getDb(), { tenantId: tenant.id, membershipId: parsed.data.membershipId, actor })),
      kind: "manage" as const,
    };
  }
  if (intent === "revoke") {
    const parsed = parseForm(revokeInvitationSchema, form);
    if (!parsed.ok) return { ok: false as const, kind: "manage" as const, message: "入力内容を確認してください。" };
    return {
      ...(await revokeStaffInvitation(getDb(), { tenantId: tenant.id, invitationId: parsed.data.invitationId, actor })),
      kind: "manage" as const,
    };
  }
  const parsed = parseForm(inviteSchema, form);
  if (!parsed.ok) return { ...parsed, kind: "invite" as const };
  const result = await inviteStaff(getDb(), {
    tenantId: tenant.id,
    ...parsed.data,
    invitedBy: { kind: "staff", id: staff.user.id },
    ip: actor.ip,
  });
  if (!result.ok)
    return {
      ...formFailure({ [result.field]: result.message }, { email: parsed.data.email, role: parsed.data.role }),
      kind: "invite" as const,
    };
  return { ok: true as const, kind: "invite" as const, invited: parsed.data.email };
}

export default function StaffPage({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const invite = actionData?.kind === "invite" ? actionData : null;
  const failure = invite && !invite.ok ? invite : null;
  const manage = actionData?.kind === "manage" ? actionData : null;
  const confirming = actionData?.kind === "confirm-remove" ? actionData.membershipId : null;
  const roleOptions = ROLES.map((r) => ({ value: r, label: roleLabel(r) }));
  return (
    <>
      <PageHeader
        title="職員の管理"
        description="この自治体の管理画面を使う職員と、その権限です。異動や退職のときは、その日のうちに「この自治体から外す」を押してください。"
      />
      {manage ? (
        <div className="mt-4">
          <Notice variant={manage.ok ? "success" : "error"} role={manage.ok ? "status" : "alert"}>
            {manage.message}
          </Notice>
        </div>
      ) : null}
      <StaffTable members={loaderData.members} me={loaderData.me} confirming={confirming} busy={busy} />

      <h2 className="mt-10 text-2xl font-bold">職員を招待する</h2>
      <p className="mt-2">招待メールのリンクは1回だけ、72時間有効です。</p>
      {invite?.ok ? (
        <div className="mt-4">
          <Notice variant="success">{invite.invited} に招待メールを送信しました。</Notice>
        </div>
      ) : null}
      <Form method="post" className="mt-4 space-y-6" noValidate>
        <TextField
          label="メールアドレス"
          name="email"
          type="email"
          autoComplete="off"
          required
          defaultValue={failure?.values.email}
          error={failure?.errors.email}
        />
        <SelectField
          label="権限"
          name="role"
          required
          options={roleOptions}
          defaultValue={failure?.values.role ?? "operator"}
          error={failure?.errors.role}
        />
        <Button type="submit" disabled={busy}>
          招待メールを送る
        </Button>
      </Form>

      <PendingInvitations pending={loaderData.pending} busy={busy} />
    </>
  );
}
