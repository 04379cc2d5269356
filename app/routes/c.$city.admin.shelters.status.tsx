import { Link } from "react-router";
import type { Route } from "./+types/c.$city.admin.shelters.status";
import { requireRole } from "~/auth/guards.server";
import { Notice } from "~/components/ui/notice";
import { getDb } from "#db/client.server";
import { shelterAdminPage } from "~/features/shelters/admin.server";
import { STATUS_LABELS, isShelterStatus } from "~/features/shelters/hazards";
import { formatTimeJa } from "~/lib/japan-time";
import { tenantContext } from "~/tenants/context";

export const meta: Route.MetaFunction = () => [{ title: "開設状況 | 管理画面" }];

// The shelter manager's page at the door (phone-sized): tap the shelter, then tap its new status.
export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, ["admin", "operator"]);
  const tenant = context.get(tenantContext);
  const { shelters } = await shelterAdminPage(getDb(), tenant.id);
  const saved = new URL(request.url).searchParams.get("saved")?.slice(0, 200) ?? null;
  return {
    slug: tenant.slug,
    saved,
    shelters: shelters.map((s) => ({ id: s.id, name: s.name, area: s.area, status: s.status, at: s.statusChangedAt })),
  };
}

export default function ShelterStatusList({ loaderData }: Route.ComponentProps) {
  const { slug, shelters, saved } = loaderData;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">開設状況を変える</h1>
      <p className="mt-2">避難所を選んでから、新しい状況を押します。</p>
      {saved ? (
        <Notice variant="success" role="status" className="mt-4">
          {saved}
        </Notice>
      ) : null}
      <ul className="mt-4 flex flex-col gap-2">
        {shelters.map((s) => (
          <li key={s.id}>
            <Link
              to={`/c/${slug}/admin/shelters/status/${s.id}`}
              className="flex min-h-tap items-center justify-between gap-3 rounded-8 border border-solid-gray-600 px-4 py-3 no-underline"
            >
              <span className="font-bold">
                {s.name}
                {s.area ? <span className="block text-sm font-normal">{s.area}</span> : null}
              </span>
              <span className="shrink-0 text-right">
                {isShelterStatus(s.status) ? STATUS_LABELS[s.status] : s.status}
                {s.at ? <span className="block text-sm">{formatTimeJa(s.at)}</span> : null}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
