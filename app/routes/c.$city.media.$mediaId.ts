import { data } from "react-router";
import type { Route } from "./+types/c.$city.media.$mediaId";
import { getDb } from "#db/client.server";
import { loadMedia } from "~/features/broadcasts/media.server";
import { tenantContext } from "~/tenants/context";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A broadcast image, public: LINE's servers fetch it (originalContentUrl / previewImageUrl) without
 * credentials. The random id is the only key; it never changes, so it may be cached for long.
 */
export async function loader({ context, params }: Route.LoaderArgs) {
  const tenant = context.get(tenantContext);
  const media = UUID.test(params.mediaId) ? await loadMedia(getDb(), tenant.id, params.mediaId) : null;
  if (!media) throw data({ message: "画像が見つかりません。" }, { status: 404 });
  return new Response(new Uint8Array(media.data), {
    headers: {
      "Content-Type": media.contentType,
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
