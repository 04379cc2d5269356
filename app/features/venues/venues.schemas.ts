import { z } from "zod";
import { checkbox, optionalDecimal, optionalText, requiredText } from "~/lib/zod-fields";

/**
 * Coordinates are checked against Japan's extent rather than the whole globe: the mistake staff
 * actually make is swapping latitude and longitude (135.4, 34.2), which a world range would accept.
 */
export const venueSchema = z
  .object({
    name: requiredText("会場名", 80),
    address: requiredText("住所", 200),
    lat: optionalDecimal("緯度", 20, 46, "（日本国内、例: 34.2735）"),
    lng: optionalDecimal("経度", 122, 154, "（日本国内、例: 135.4012）"),
    accessNotes: optionalText("交通・アクセス", 1000),
    barrierFreeNotes: optionalText("バリアフリー情報", 1000),
    active: checkbox(),
  })
  .superRefine((v, ctx) => {
    // A map pin needs both; one alone is a half-entered value.
    if (v.lat === null && v.lng !== null)
      ctx.addIssue({ code: "custom", path: ["lat"], message: "経度を入れる場合は緯度も入力してください。" });
    if (v.lat !== null && v.lng === null)
      ctx.addIssue({ code: "custom", path: ["lng"], message: "緯度を入れる場合は経度も入力してください。" });
  });

export type VenueInput = z.infer<typeof venueSchema>;

export function venueFormValues(v: VenueInput): Record<string, string> {
  return {
    name: v.name,
    address: v.address,
    lat: v.lat === null ? "" : String(v.lat),
    lng: v.lng === null ? "" : String(v.lng),
    accessNotes: v.accessNotes,
    barrierFreeNotes: v.barrierFreeNotes,
    active: v.active ? "on" : "",
  };
}
