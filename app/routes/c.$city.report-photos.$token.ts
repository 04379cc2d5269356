import { data } from "react-router";
import type { Route } from "./+types/c.$city.report-photos.$token";
import { getDb } from "#db/client.server";
import { publicAfterPhoto } from "~/features/reports/triage.server";
import { tenantContext } from "~/tenants/context";

/**
 * A report's after-photo (対応後), public for LINE's servers to fetch for the 完了 push: the key is a
 * 192-bit random token, the photo was re-encoded without metadata; residents' own photos never are here.
 */
export async function loader({ context, params, request }: Route.LoaderArgs) {
  const variant = new URL(request.url).searchParams.get("size") === "thumb" ? "thumb" : "full";
  const bytes = await publicAfterPhoto(getDb(), context.get(tenantContext).id, params.token, variant);
  if (!bytes) throw data({ message: "画像が見つかりません。" }, { status: 404 });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "image/jpeg",
      "Cache-Control": "public, max-age=86400",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
