import { z } from "zod";

export const PREFECTURES = [
  "北海道",
  "青森県",
  "岩手県",
  "宮城県",
  "秋田県",
  "山形県",
  "福島県",
  "茨城県",
  "栃木県",
  "群馬県",
  "埼玉県",
  "千葉県",
  "東京都",
  "神奈川県",
  "新潟県",
  "富山県",
  "石川県",
  "福井県",
  "山梨県",
  "長野県",
  "岐阜県",
  "静岡県",
  "愛知県",
  "三重県",
  "滋賀県",
  "京都府",
  "大阪府",
  "兵庫県",
  "奈良県",
  "和歌山県",
  "鳥取県",
  "島根県",
  "岡山県",
  "広島県",
  "山口県",
  "徳島県",
  "香川県",
  "愛媛県",
  "高知県",
  "福岡県",
  "佐賀県",
  "長崎県",
  "熊本県",
  "大分県",
  "宮崎県",
  "鹿児島県",
  "沖縄県",
] as const;

// Slugs that would shadow our own URLs or confuse residents.
const RESERVED = new Set([
  "admin",
  "vendor",
  "dev",
  "api",
  "webhooks",
  "login",
  "logout",
  "static",
  "assets",
  "healthz",
  "www",
]);

export const slugSchema = z
  .string({ error: "URL用の名前を入力してください。" })
  .trim()
  .toLowerCase()
  .min(3, "URL用の名前は3文字以上で入力してください。")
  .max(40, "URL用の名前は40文字以内で入力してください。")
  .regex(
    /^[a-z][a-z0-9-]*[a-z0-9]$/,
    "URL用の名前は半角英小文字で始まり、半角英小文字・数字・ハイフンのみで入力してください（末尾にハイフンは使えません）。",
  )
  .refine((s) => !RESERVED.has(s), "この名前はシステムで予約されているため使えません。");

export const createTenantSchema = z.object({
  name: z
    .string({ error: "自治体名を入力してください。" })
    .trim()
    .min(1, "自治体名を入力してください。")
    .max(60, "自治体名は60文字以内で入力してください。"),
  slug: slugSchema,
  prefecture: z.enum(PREFECTURES, { error: "都道府県を選択してください。" }),
  population: z
    .string()
    .trim()
    .transform((v) => v.normalize("NFKC").replace(/[,，]/g, ""))
    .pipe(z.union([z.literal(""), z.string().regex(/^\d{1,9}$/, "人口は半角数字で入力してください。")]))
    .transform((v) => (v === "" ? null : Number(v)))
    .optional(),
  areas: z
    .string()
    .optional()
    .transform((v) => [
      ...new Set(
        (v ?? "")
          .split(/[\n,、，]/)
          .map((s) => s.normalize("NFKC").trim())
          .filter(Boolean),
      ),
    ])
    .pipe(
      z.array(z.string().max(30, "地区名は30文字以内で入力してください。")).max(200, "地区は200件まで登録できます。"),
    ),
});

export type CreateTenantInput = z.infer<typeof createTenantSchema>;
