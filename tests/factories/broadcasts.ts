import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";

/**
 * Many LINE friends at once, for broadcast tests, the bench and the demo seed: one INSERT … SELECT
 * over generate_series (300,000 rows in seconds). User ids are well-formed and deterministic per
 * (seed, n): 'U' + md5. Attributes cycle so every segment has members; pass `attrs` SQL to override.
 */
export const FRIEND_GENDERS = ["female", "male", "other", "no_answer"] as const;
export const FRIEND_AGES = ["under20", "20s", "30s", "40s", "50s", "60s", "70plus", "no_answer"] as const;

export async function seedFriends(
  db: Db,
  tenantId: string,
  opts: { count: number; seed: string; areas: string[]; topics: string[]; status?: "following" | "blocked" },
) {
  const areas = `{${opts.areas.map((a) => `"${a.replace(/"/g, "")}"`).join(",")}}`;
  const topics = `{${opts.topics.join(",")}}`;
  await withTenant(db, tenantId, (tx) =>
    tx.execute(sql`
      insert into line_friends (tenant_id, line_user_id, status, followed_at, gender, age_band, area, topics)
      select ${tenantId}::uuid, 'U' || md5(${opts.seed} || ':' || g), ${opts.status ?? "following"}::line_friend_status, now(),
             (array['female','male','other','no_answer'])[1 + g % 4]::line_gender,
             (array['under20','20s','30s','40s','50s','60s','70plus','no_answer'])[1 + (g / 4) % 8]::line_age_band,
             case when cardinality(${areas}::text[]) = 0 then null else (${areas}::text[])[1 + g % cardinality(${areas}::text[])] end,
             case when cardinality(${topics}::text[]) = 0 then '{}'::text[] else array[(${topics}::text[])[1 + (g / 3) % cardinality(${topics}::text[])]] end
        from generate_series(1, ${opts.count}) as g
      on conflict (tenant_id, line_user_id) do nothing`),
  );
}

/** One friend with exact attributes (the tests' named residents). */
export async function addFriend(
  db: Db,
  tenantId: string,
  f: {
    lineUserId: string;
    gender?: string | null;
    ageBand?: string | null;
    area?: string | null;
    topics?: string[];
    status?: "following" | "blocked";
    /** The language the friend chose (ADR 039); absent = not chosen (Japanese). */
    language?: string | null;
  },
) {
  await withTenant(db, tenantId, (tx) =>
    tx.execute(sql`
      insert into line_friends (tenant_id, line_user_id, status, gender, age_band, area, topics, language)
      values (${tenantId}::uuid, ${f.lineUserId}, ${f.status ?? "following"}::line_friend_status, ${f.gender ?? null}::line_gender, ${f.ageBand ?? null}::line_age_band, ${f.area ?? null}, ${`{${(f.topics ?? []).join(",")}}`}::text[], ${f.language ?? null})`),
  );
}
