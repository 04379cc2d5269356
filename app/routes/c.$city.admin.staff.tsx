import { Form, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.staff";
import { requireRole } from "~/auth/guards.server";
import { clientIp } from "~/auth/rate-limit.server";
import { roleLabel } from "~/components/layouts/role-label";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { PageHeader } from "~/components/ui/page-header";
import { SelectField } from "~/components/ui/select-field";
import { TextField } from "~/components/ui/text-field";
import { getDb } from "#db/client.server";
import { inviteSchema, ROLES } from "~/features/staff/staff.schemas";
import { inviteStaff, staffOverview } from "~/features/staff/staff-admin.server";
import { formatDateTimeJa } from "~/lib/dates";
import { formFailure, parseForm } from "~/lib/forms";
import { tenantContext } from "~/tenants/context";

export async function loader({ context, request }: Route.LoaderArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  return staffOverview(getDb(), tenant.id, { staffUserId: staff.user.id, ip: clientIp(request) });
}

export async function action({ context, request }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin"]);
  const tenant = context.get(tenantContext);
  const parsed = parseForm(inviteSchema, await request.formData());
  if (!parsed.ok) return parsed;
  const result = await inviteStaff(getDb(), { tenantId: tenant.id, ...parsed.data, invitedBy: { kind: "staff", id: staff.user.id }, ip: clientIp(request) });
  if (!result.ok) return formFailure({ [result.field]: result.message }, { email: parsed.data.email, role: parsed.data.role });
  return { ok: true as const, invited: parsed.data.email };
}

export default function StaffPage({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : null;
  const roleOptions = ROLES.map((r) => ({ value: r, label: roleLabel(r) }));
  return (
    <>
      <PageHeader title="職員の管理" description="この自治体の管理画面を使う職員と、その権限です。" />
      <table className="mt-4 w-full text-left">
        <caption className="sr-only">職員一覧</caption>
        <thead><tr><th scope="col">氏名</th><th scope="col">メールアドレス</th><th scope="col">権限</th></tr></thead>
        <tbody>
          {loaderData.members.map((m) => (
            <tr key={m.membershipId}><td>{m.displayName}</td><td>{m.email}</td><td>{roleLabel(m.role)}</td></tr>
          ))}
        </tbody>
      </table>

      <h2 className="mt-10 text-2xl font-bold">職員を招待する</h2>
      <p className="mt-2">招待メールのリンクは1回だけ、72時間有効です。</p>
      {actionData?.ok ? <div className="mt-4"><Notice variant="success">{actionData.invited} に招待メールを送信しました。</Notice></div> : null}
      <Form method="post" className="mt-4 space-y-6" noValidate>
        <TextField label="メールアドレス" name="email" type="email" autoComplete="off" required defaultValue={failure?.values.email} error={failure?.errors.email} />
        <SelectField label="権限" name="role" required options={roleOptions} defaultValue={failure?.values.role ?? "operator"} error={failure?.errors.role} />
        <Button type="submit" disabled={busy}>招待メールを送る</Button>
      </Form>

      {loaderData.pending.length ? (
        <>
          <h2 className="mt-10 text-2xl font-bold">招待中</h2>
          <ul className="mt-2 list-disc pl-6">
            {loaderData.pending.map((p) => (
              <li key={p.id}>{p.email}（{roleLabel(p.role)}、{formatDateTimeJa(new Date(p.expiresAt))}まで有効）</li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
