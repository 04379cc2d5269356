import { Form, Link, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/c.$city.admin.shelters.status.$shelterId";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { shelterForEdit } from "~/features/shelters/admin.server";
import { SHELTER_STATUSES, STATUS_LABELS, isShelterStatus } from "~/features/shelters/hazards";
import { statusSchema } from "~/features/shelters/shelters.schemas";
import { setShelterStatus } from "~/features/shelters/shelters.server";
import { clientAddress } from "~/lib/client-address.server";
import { readForm } from "~/lib/form-body.server";
import { formatDateTimeJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "開設状況を変える | 管理画面" }];

export async function loader({ context, params }: Route.LoaderArgs) {
  requireRole(context, ["admin", "operator"]);
  const s = await shelterForEdit(getDb(), context.get(tenantContext).id, params.shelterId);
  if (!s) throw data({ message: "避難所が見つかりません。" }, { status: 404 });
  return { name: s.name, status: s.status, at: s.statusChangedAt };
}

// Two managers at once: both land, the later wins, both are audited (setShelterStatus).
export async function action({ context, request, params }: Route.ActionArgs) {
  const staff = requireRole(context, ["admin", "operator"]);
  const tenant = context.get(tenantContext);
  const parsed = statusSchema.safeParse(String((await readForm(request)).get("status") ?? ""));
  if (!parsed.success) return { error: "状況を選んでください。" };
  const row = await setShelterStatus(getDb(), tenant.id, params.shelterId, parsed.data, {
    staffUserId: staff.user.id,
    ip: clientAddress(context),
  });
  if (!row) throw data({ message: "避難所が見つかりません。" }, { status: 404 });
  const saved = `${row.name}を「${STATUS_LABELS[parsed.data]}」にしました。`;
  return redirect(`/c/${tenant.slug}/admin/shelters/status?saved=${encodeURIComponent(saved)}`);
}

const TONE: Record<string, string> = {
  unopened: "bg-solid-gray-50 text-solid-gray-900 border-solid-gray-600",
  open: "bg-green-900 text-white border-green-900",
  crowded: "bg-yellow-400 text-solid-gray-900 border-yellow-700",
  full: "bg-red-900 text-white border-red-900",
  closed: "bg-solid-gray-700 text-white border-solid-gray-700",
};

export default function ShelterStatusPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">{loaderData.name}</h1>
      <p className="mt-2">
        いま：{isShelterStatus(loaderData.status) ? STATUS_LABELS[loaderData.status] : loaderData.status}
        {loaderData.at ? `（${formatDateTimeJa(loaderData.at)}）` : ""}
      </p>
      {actionData?.error ? (
        <p role="alert" className="mt-2 text-error-1">
          {actionData.error}
        </p>
      ) : null}
      <Form method="post" className="mt-4 grid grid-cols-1 gap-3">
        {SHELTER_STATUSES.map((s) => (
          <button
            key={s}
            type="submit"
            name="status"
            value={s}
            disabled={busy}
            aria-pressed={loaderData.status === s}
            className={`min-h-[3.5rem] rounded-8 border-2 px-4 text-xl font-bold ${TONE[s]} aria-pressed:outline aria-pressed:outline-4 aria-pressed:outline-offset-2 aria-pressed:outline-blue-900`}
          >
            {STATUS_LABELS[s]}
          </button>
        ))}
      </Form>
      <p className="mt-6">
        <Link to={`/c/${params.city}/admin/shelters/status`}>一覧に戻る</Link>
      </p>
    </div>
  );
}
