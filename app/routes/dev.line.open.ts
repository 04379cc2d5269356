import { data, redirect } from "react-router";
import type { Route } from "./+types/dev.line.open";
import { devLineDeps, listCities, openLiff } from "~/features/dev-line/dev-line.server";

/**
 * The simulator's LIFF view: GET /dev/line/open?city=&user=&uri= gets a LINE ID token for the resident
 * from the emulator and redirects to the app page with `?liffMockToken=`, which the app accepts in dev
 * mode in place of the LIFF SDK. Only app paths are opened (never another origin). 404 unless DEV_TOOLS=1.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const deps = devLineDeps();
  if (!deps) throw data(null, { status: 404 });
  const q = new URL(request.url).searchParams;
  const userId = q.get("user") ?? "";
  const city = (await listCities(deps)).find((c) => c.slug === q.get("city"));
  if (!city || !/^U[0-9a-f]{32}$/.test(userId))
    throw data({ message: "市区町村または住民が見つかりません。" }, { status: 404 });
  const opened = await openLiff(deps, city, userId, q.get("uri") ?? "");
  if (!opened.ok) throw data({ message: opened.message }, { status: 400 });
  return redirect(opened.path, { headers: { "Cache-Control": "no-store" } });
}
