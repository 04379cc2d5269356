import { render } from "@react-email/render";
import type { ReactElement } from "react";

/** Both bodies of one e-mail: clients without HTML (and spam filters) get the plain-text part. */
export async function renderEmail(element: ReactElement): Promise<{ html: string; text: string }> {
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { html, text };
}
