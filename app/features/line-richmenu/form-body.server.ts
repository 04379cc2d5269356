import { MAX_IMAGE_BYTES } from "./image-check";

/**
 * The rich-menu page's form body, image included, read with a byte cap: a 1 MB image plus the
 * form's few fields fits easily, anything much larger is refused before it is buffered (a plain
 * request.formData() would take whatever is sent). null means "too large".
 */
export const MAX_FORM_BYTES = MAX_IMAGE_BYTES + 64 * 1024;

export async function readCappedForm(request: Request, maxBytes = MAX_FORM_BYTES): Promise<FormData | null> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return null;
  if (!request.body) return new FormData();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return new Response(Buffer.concat(chunks), {
    headers: { "content-type": request.headers.get("content-type") ?? "" },
  }).formData();
}
