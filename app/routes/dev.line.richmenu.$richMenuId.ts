import { data } from "react-router";
import type { Route } from "./+types/dev.line.richmenu.$richMenuId";
import { devLineDeps } from "~/features/dev-line/dev-line.server";

/**
 * A rich menu's image, fetched from the emulator on the server: the browser may not be able to
 * reach the emulator (it listens on the server's loopback). 404 unless DEV_TOOLS=1.
 */
export async function loader({ params }: Route.LoaderArgs) {
  const deps = devLineDeps();
  if (!deps) throw data(null, { status: 404 });
  const res = await deps.api.richMenuImage(params.richMenuId);
  if (!res) throw data(null, { status: 404 });
  const type = res.headers.get("content-type") ?? "";
  // The emulator stores only PNG and JPEG; anything else is not passed through as an image.
  if (type !== "image/png" && type !== "image/jpeg") throw data(null, { status: 404 });
  return new Response(await res.arrayBuffer(), {
    headers: { "Content-Type": type, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}
