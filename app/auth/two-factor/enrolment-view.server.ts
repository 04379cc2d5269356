import QRCode from "qrcode";
import { keyUri, manualKey } from "./totp.server";

/** QR code as an SVG data URL (no client script, no image request) plus the key to type by hand. */
export async function enrolmentView(issuer: string, account: string, secret: Uint8Array) {
  const svg = await QRCode.toString(keyUri(issuer, account, secret), {
    type: "svg",
    margin: 1,
    errorCorrectionLevel: "M",
  });
  return {
    qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
    manualKey: manualKey(secret),
  };
}

/** The secret is on these pages: never cache them. */
export const NO_STORE = { "Cache-Control": "no-store" } as const;
