import type { Route } from "./+types/webhooks.line.$tenantId";
import { handleLineWebhook, MAX_WEBHOOK_BODY_BYTES } from "~/features/line/webhook.server";

/**
 * LINE's webhook for one city. A thin adapter: the work is in handleLineWebhook, which the
 * production server may also call directly, before React Router (ADR 008). No session and no
 * Origin check apply here (root middleware exempts /webhooks/): the signature is the authentication.
 */
export async function action({ request, params }: Route.ActionArgs) {
  const result = await handleLineWebhook({
    tenantId: params.tenantId,
    rawBody: await readCapped(request, MAX_WEBHOOK_BODY_BYTES + 1),
    signature: request.headers.get("x-line-signature"),
    method: request.method,
  });
  return new Response(result.body, {
    status: result.status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}

export function loader() {
  return new Response("{}", { status: 405, headers: { Allow: "POST", "Content-Type": "application/json" } });
}

/** Reads at most `limit` bytes: an oversized body is cut off (and refused with 413), never buffered whole. */
async function readCapped(request: Request, limit: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= limit) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return Buffer.concat(chunks);
}
