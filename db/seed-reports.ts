import sharp from "sharp";
import type { Db } from "./client.server";
import {
  reportEvents,
  reportFollowers,
  reportPhotos,
  reports,
  reportSettings,
  type ReportBounds,
} from "./schema/index";
import { withTenant } from "./with-tenant.server";

/**
 * The demo cities' 通報 (issue 17): the city's box (so a point in Tokyo is refused in /dev/line),
 * and reports in every state — some with photos, staff notes and an after-photo — so the staff
 * triage list, the detail page and Open311 show something real. Photos are drawn here (a road with
 * a pothole, a street light…): plain JPEGs with no metadata, as the app stores them.
 */
export const DEMO_REPORT_BOUNDS: Record<string, ReportBounds> = {
  "kinokawa-demo": { south: 34.2, west: 135.25, north: 34.35, east: 135.5 },
  "minato-demo": { south: 34.6, west: 138.75, north: 34.75, east: 138.95 },
};

type Seed = {
  category: string;
  state: string;
  daysAgo: number;
  at: [number, number] | null;
  area: string | null;
  landmark: string | null;
  description: string;
  photo?: string;
  notes?: [string, string][];
  after?: string;
  followers?: number;
};

const KINOKAWA: Seed[] = [
  {
    category: "道路の穴・段差",
    state: "received",
    daysAgo: 0,
    at: [34.2701, 135.3632],
    area: "打田",
    landmark: "打田駅前の交差点",
    description: "横断歩道の手前に直径30cmほどの穴があります。自転車が避けて車道に出ています。",
    photo: "#6b6b6b",
  },
  {
    category: "街灯の故障",
    state: "checking",
    daysAgo: 2,
    at: [34.2765, 135.4052],
    area: "粉河",
    landmark: "粉河寺の参道",
    description: "夜になっても街灯が点きません。",
    notes: [["checking", "担当者が現地を確認します。"]],
    followers: 2,
  },
  {
    category: "公園の遊具",
    state: "planned",
    daysAgo: 6,
    at: [34.2585, 135.3401],
    area: "那賀",
    landmark: "那賀中央公園",
    description: "ブランコの鎖がさびて切れそうです。",
    photo: "#8a6d3b",
    notes: [
      ["checking", "現地を確認しました。"],
      ["planned", "来週の月曜日に部品を交換します。それまでブランコは使用禁止にしています。"],
    ],
  },
  {
    category: "道路の陥没で危険",
    state: "in_progress",
    daysAgo: 1,
    at: [34.2452, 135.3821],
    area: "桃山",
    landmark: "県道沿いのコンビニ前",
    description: "道路が大きくへこんでいます。車が通ると危ないです。",
    photo: "#4a4a4a",
    notes: [["in_progress", "通行止めにして補修しています。"]],
    followers: 3,
  },
  {
    category: "河川",
    state: "fixed",
    daysAgo: 20,
    at: [34.2668, 135.3912],
    area: "粉河",
    landmark: "紀の川の河川敷（粉河橋の下）",
    description: "流木が橋脚に引っかかっています。",
    photo: "#4f7a8a",
    notes: [
      ["checking", "県の河川事務所と確認しています。"],
      ["fixed", "流木を撤去しました。ご連絡ありがとうございました。"],
    ],
    after: "#5f8fa0",
  },
  {
    category: "不法投棄",
    state: "not_ours",
    daysAgo: 12,
    at: [34.3101, 135.4402],
    area: "貴志川",
    landmark: "山道の待避所",
    description: "冷蔵庫が捨てられています。",
    notes: [["not_ours", "県道の管理者（県）に引き継ぎました。"]],
  },
  {
    category: "その他",
    state: "received",
    daysAgo: 4,
    at: null,
    area: "打田",
    landmark: "市民会館の裏の歩道",
    description: "カーブミラーが曲がっていて見えません。",
  },
];

const MINATO: Seed[] = [
  {
    category: "道路の穴・段差",
    state: "checking",
    daysAgo: 3,
    at: [34.6805, 138.8501],
    area: "港",
    landmark: "漁港の入口",
    description: "段差でつまずきそうです。",
    photo: "#707070",
  },
];

async function demoPhoto(color: string, label: string) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <rect width="1200" height="900" fill="${color}"/>
    <ellipse cx="600" cy="520" rx="260" ry="120" fill="#2b2b2b" opacity="0.8"/>
    <rect x="0" y="0" width="1200" height="90" fill="#000" opacity="0.35"/>
    <text x="40" y="62" font-size="44" fill="#fff" font-family="sans-serif">${label}</text>
  </svg>`;
  const data = await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
  const thumb = await sharp(data).resize({ width: 320 }).jpeg({ quality: 70 }).toBuffer();
  return { data, thumb, width: 1200, height: 900 };
}

const DAY = 86_400_000;

export async function seedDemoReports(db: Db, tenantId: string, slug: string, friendIds: string[] = []) {
  const seeds = slug === "kinokawa-demo" ? KINOKAWA : MINATO;
  await withTenant(db, tenantId, async (tx) => {
    await tx.insert(reportSettings).values({ tenantId, bounds: DEMO_REPORT_BOUNDS[slug] ?? null });
    let n = 0;
    for (const s of seeds) {
      const created = new Date(Date.now() - s.daysAgo * DAY - 3_600_000);
      const [report] = await tx
        .insert(reports)
        .values({
          tenantId,
          // Recognisable demo numbers (R-KDEMO01…); real ones are random (newReportNumber).
          number: `R-${slug[0]!.toUpperCase()}DEMO${String(++n).padStart(2, "0")}`,
          category: s.category,
          state: s.state,
          latitude: s.at?.[0] ?? null,
          longitude: s.at?.[1] ?? null,
          area: s.area,
          landmark: s.landmark,
          description: s.description,
          source: n % 3 === 0 ? "web" : "line",
          createdAt: created,
          updatedAt: new Date(created.getTime() + (s.notes?.length ?? 0) * 3_600_000),
        })
        .returning();
      if (s.photo)
        await tx
          .insert(reportPhotos)
          .values({ tenantId, reportId: report!.id, kind: "report", ...(await demoPhoto(s.photo, s.category)) });
      let from = "received";
      let i = 0;
      for (const [to, note] of s.notes ?? []) {
        let afterPhotoId: string | null = null;
        if (to === "fixed" && s.after) {
          const [p] = await tx
            .insert(reportPhotos)
            .values({
              tenantId,
              reportId: report!.id,
              kind: "after",
              publicToken: `demo-after-photo-${slug}-${n}`.padEnd(32, "x").slice(0, 32),
              ...(await demoPhoto(s.after, "対応後")),
            })
            .returning();
          afterPhotoId = p!.id;
        }
        await tx.insert(reportEvents).values({
          tenantId,
          reportId: report!.id,
          fromState: from,
          toState: to,
          note,
          afterPhotoId,
          createdAt: new Date(created.getTime() + ++i * 3_600_000),
        });
        from = to;
      }
      const followers = friendIds.slice(0, s.followers ?? 0);
      if (followers.length)
        await tx
          .insert(reportFollowers)
          .values(followers.map((lineUserId) => ({ tenantId, reportId: report!.id, lineUserId })));
    }
  });
}
