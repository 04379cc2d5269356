import { data } from "react-router";
import type { Route } from "./+types/c.$city.admin.line.richmenu.preview.$kind";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "#db/client.server";
import { richMenuImage } from "~/features/line-richmenu/richmenu-admin.server";
import { tenantContext } from "~/tenants/context";

/** The rich-menu image as LINE would receive it now (resource route: the admin page's preview). */
export async function loader({ context, params }: Route.LoaderArgs) {
  requireRole(context, ["admin"]);
  if (params.kind !== "default" && params.kind !== "disaster")
    throw data({ message: "メニューの種類が正しくありません。" }, { status: 404 });
  const image = await richMenuImage(getDb(), context.get(tenantContext), params.kind);
  return new Response(new Uint8Array(image.data), {
    headers: {
      "Content-Type": image.type,
      // Admin-only and changes on every save; the page adds ?v=<edited time> so a new version is fetched.
      "Cache-Control": "private, no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
