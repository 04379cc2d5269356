import type { Db } from "./client.server";
import { createBroadcast } from "../app/features/broadcasts/broadcasts.server";

/**
 * The demo's broadcast in several languages (issue 15, ADR 046): the weekly garbage reminder for
 * friends who chose ごみ, in Japanese with versions in やさしい日本語 and English, so the admin's
 * broadcast page shows a preview per language and friends get theirs every Monday morning.
 */
export async function seedDemoBroadcast(db: Db, tenantId: string, staffUserId: string, now = new Date()) {
  const r = await createBroadcast(db, {
    tenantId,
    draft: {
      title: "ごみ出しの案内（毎週月曜）",
      kind: "text",
      text: "今週のごみ収集のお知らせです。燃やすごみは月曜・木曜、資源ごみは水曜です。朝8時までに出してください。",
      versions: {
        "ja-x-easy": {
          text: "{今週|こんしゅう}の ごみの お{知|し}らせです。{燃|も}やす ごみは {月曜日|げつようび}と {木曜日|もくようび}です。{資源|しげん}ごみは {水曜日|すいようび}です。{朝|あさ} 8{時|じ}までに {出|だ}して ください。",
        },
        en: {
          text: "This week's garbage collection: burnable garbage on Monday and Thursday, recyclables on Wednesday. Please put it out by 8 a.m.",
        },
      },
      segment: { match: "all", topics: ["garbage"], topicsMatch: "any", genders: [], ageBands: [], areas: [] },
      schedule: { mode: "recur", rule: { freq: "weekly", weekdays: [1], time: "07:00" } },
    },
    upload: null,
    actor: { staffUserId, ip: null },
    now,
  });
  if (!r.ok) throw new Error(`demo broadcast refused: ${JSON.stringify(r.errors)}`);
}
