import { formErrorStatus, readForm } from "~/lib/form-body.server";
import { MAX_IMAGE_BYTES } from "./image-check";

/**
 * The rich-menu page's form body, image included, read with a byte cap: a 1 MB image plus the
 * form's few fields fits easily, anything much larger is refused before it is buffered (a plain
 * request.formData() would take whatever is sent). null means "too large", so the page can say so
 * next to the file field; anything else unreadable is app/lib/form-body.server.ts's 400/415.
 */
export const MAX_FORM_BYTES = MAX_IMAGE_BYTES + 64 * 1024;

export async function readCappedForm(request: Request, maxBytes = MAX_FORM_BYTES): Promise<FormData | null> {
  try {
    return await readForm(request, { maxBytes });
  } catch (e) {
    if (formErrorStatus(e) === 413) return null;
    throw e;
  }
}
