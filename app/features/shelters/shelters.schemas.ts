import { z } from "zod";
import { checkbox, optionalDecimal, optionalText, requiredText } from "~/lib/zod-fields";
import { HAZARDS, SHELTER_STATUSES, type Hazard } from "./hazards";

/** The hand-edit form of one shelter (staff). Hazards are one checkbox each: `hazard_<key>`. */
const hazardFields = Object.fromEntries(HAZARDS.map((h) => [`hazard_${h}`, checkbox()])) as Record<
  `hazard_${Hazard}`,
  ReturnType<typeof checkbox>
>;

export const shelterFormSchema = z
  .object({
    name: requiredText("施設・場所名", 200),
    address: optionalText("住所", 300),
    latitude: optionalDecimal("緯度", 20, 46, "（例：34.2689）"),
    longitude: optionalDecimal("経度", 122, 154, "（例：135.3626）"),
    area: optionalText("地区", 60),
    note: optionalText("メモ", 500),
    phone: optionalText("電話番号", 30),
    capacity: optionalDecimal("収容人数", 0, 1_000_000, ""),
    welfare: checkbox(),
    designatedShelter: checkbox(),
    ...hazardFields,
  })
  .superRefine((v, ctx) => {
    if (v.latitude === null) ctx.addIssue({ code: "custom", path: ["latitude"], message: "緯度を入力してください。" });
    if (v.longitude === null)
      ctx.addIssue({ code: "custom", path: ["longitude"], message: "経度を入力してください。" });
    if (v.capacity !== null && !Number.isInteger(v.capacity))
      ctx.addIssue({ code: "custom", path: ["capacity"], message: "収容人数は整数で入力してください。" });
  })
  .transform((v) => ({
    name: v.name,
    address: v.address,
    latitude: v.latitude!,
    longitude: v.longitude!,
    area: v.area || null,
    note: v.note,
    phone: v.phone || null,
    capacity: v.capacity,
    welfare: v.welfare,
    designatedShelter: v.designatedShelter,
    hazards: HAZARDS.filter((h) => v[`hazard_${h}`]),
  }));
export type ShelterInput = z.infer<typeof shelterFormSchema>;

export const statusSchema = z.enum(SHELTER_STATUSES, { error: "状態を選んでください。" });

export const municipalityCodeSchema = z
  .string()
  .transform((s) => s.normalize("NFKC").trim())
  .pipe(z.string().regex(/^(\d{5,6})?$/, "市区町村コードは5桁または6桁の数字で入力してください（例：302082）。"));
