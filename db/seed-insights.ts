import { sql } from "drizzle-orm";
import type { Db, Tx } from "./client.server";
import { withTenant } from "./with-tenant.server";
import { makeService, makeVenue } from "../tests/factories/reservations";
import { TOKYO_TIME_ZONE } from "../app/lib/japan-time";

/**
 * A realistic history for the insights (issue 20), generated in SQL so the same code serves the demo
 * (a few thousand rows), the integration tests and the benchmark (300,000 friends, 1,000,000
 * reservations): LINE friends who followed over the months (some blocked later), their daily
 * snapshots rebuilt from those dates, a two-dose service with slots every day at each venue, and
 * ticket holders who booked by LINE, web or phone (some by proxy), attended, missed or cancelled.
 * Deterministic for a given `seed` (PostgreSQL's setseed).
 */
export type InsightsHistoryOptions = {
  friends: number;
  /** People on the roster who booked; about two thirds also book their second dose. */
  holders: number;
  /** How far back the history goes, in days, ending `futureDays` after today. */
  days: number;
  futureDays?: number;
  areas: string[];
  venues?: number;
  seed?: number;
  serviceName?: string;
};

export async function seedInsightsHistory(db: Db, tenantId: string, o: InsightsHistoryOptions) {
  const venuesN = o.venues ?? 2;
  const future = o.futureDays ?? 14;
  const service = await makeService(db, tenantId, {
    name: o.serviceName ?? "新型コロナワクチン接種（過去の実施分）",
    doses: 2,
    minIntervalDays: 21,
    ageReferenceDate: "2027-03-31",
  });
  const venueIds: string[] = [];
  for (let i = 0; i < venuesN; i++) {
    const v = await makeVenue(db, tenantId, { name: `保健センター${i + 1}（履歴）`, address: `本町${i + 1}-1` });
    venueIds.push(v.id);
  }
  const areas = sql`array[${sql.join(
    (o.areas.length ? o.areas : ["中央"]).map((a) => sql`${a}`),
    sql`, `,
  )}]::text[]`;
  const venueArr = sql`array[${sql.join(
    venueIds.map((v) => sql`${v}::uuid`),
    sql`, `,
  )}]`;
  await withTenant(db, tenantId, async (tx) => {
    // A past campaign: kept for the figures, closed to new bookings (the resident pages list only active ones).
    await tx.execute(sql`update services set active = false where tenant_id = ${tenantId} and id = ${service.id}`);
    await tx.execute(sql`select setseed(${o.seed ?? 0.42})`);
    // Friends: more recent follows than old ones (the account grew), ~8 % blocked some days later.
    await tx.execute(sql`
      insert into line_friends (tenant_id, line_user_id, status, followed_at, blocked_at, gender, age_band, area)
      select ${tenantId}, 'U' || md5('hist' || ${tenantId} || i::text), case when b then 'blocked' else 'following' end::line_friend_status,
             f, case when b then f + (now() - f) * random() end,
             (array['female','female','male','male','other','no_answer'])[1 + floor(random() * 6)::int]::line_gender,
             (array['under20','20s','30s','30s','40s','40s','50s','60s','60s','70plus','70plus','no_answer'])[1 + floor(random() * 12)::int]::line_age_band,
             case when random() < 0.1 then null else (${areas})[1 + floor(random() * cardinality(${areas}))::int] end
      from (select i, random() < 0.08 as b, now() - (1 - sqrt(random())) * ${o.days}::int * interval '1 day' as f
            from generate_series(1, ${o.friends}::int) i) g`);
    // Slots: 10:00, 13:00, 15:00 at each venue, every day of the history.
    await tx.execute(sql`
      insert into slots (tenant_id, venue_id, service_id, starts_at, ends_at, web_capacity, phone_capacity)
      select ${tenantId}, v, ${service.id}, t, t + interval '1 hour', 20, 10
      from unnest(${venueArr}) v,
           generate_series((current_date - ${o.days}::int)::timestamp, (current_date + ${future}::int)::timestamp, interval '1 day') d,
           unnest(array[time '10:00', time '13:00', time '15:00']) h,
           lateral (select (d + h) at time zone ${TOKYO_TIME_ZONE} as t) x`);
    await tx.execute(sql`
      insert into ticket_holders (tenant_id, ticket_hash, birth_date)
      select ${tenantId}, 'hist' || md5(${tenantId} || i::text), date '1935-01-01' + floor(random() * 26000)::int
      from generate_series(1, ${o.holders}::int) i`);
    // Reservations: dose 1 in a random slot, dose 2 in the slot 21 days later (two thirds of people).
    await tx.execute(sql`
      with s as (
        select id, starts_at, row_number() over (order by starts_at, venue_id) as n, count(*) over () as total
        from slots where tenant_id = ${tenantId} and service_id = ${service.id}
      ), h as (
        select id, row_number() over (order by id) as k, random() as r1 from ticket_holders
        where tenant_id = ${tenantId} and ticket_hash like 'hist%'
      ), picks as (
        select h.id as holder, 1 as dose, 1 + floor(h.r1 * ((select max(total) from s) - ${venuesN * 3 * 21}))::int as n from h
        union all
        select h.id, 2, 1 + floor(h.r1 * ((select max(total) from s) - ${venuesN * 3 * 21}))::int + ${venuesN * 3 * 21}
        from h where h.k % 3 <> 0
      ), r as (
        select p.holder, p.dose, s.id as slot, s.starts_at, random() as c, random() as st
        from picks p join s on s.n = p.n
      )
      insert into reservations (tenant_id, slot_id, service_id, ticket_holder_id, dose, channel, quota, status,
                                confirmation_code, contact_name, contact_phone, proxy_note, idempotency_key,
                                created_at, cancelled_at, attended_at)
      select ${tenantId}, slot, ${service.id}, holder, dose, ch::booking_channel,
             (case when ch = 'phone' then 'phone' else 'web' end)::quota_kind,
             (case when st < 0.07 then 'cancelled' when starts_at > now() then 'booked'
                   when st < 0.12 then 'no_show' else 'attended' end)::reservation_status,
             upper(substr(md5(holder::text || dose), 1, 16)), '履歴 太郎', '090-0000-0000',
             case when ch = 'phone' and c > 0.9 then '家族が代理で電話' end,
             'hist-' || holder || '-' || dose, created, case when st < 0.07 then created + (starts_at - created) * 0.5 end,
             case when st >= 0.12 and starts_at <= now() then starts_at end
      from (select *, case when c < 0.42 then 'line' when c < 0.62 then 'web' else 'phone' end as ch,
                   least(starts_at - (1 + floor(c * 20)) * interval '1 day', now()) as created from r) x`);
    // The seat counters agree with the reservations (capacity raised where a busy day overflowed it).
    await tx.execute(sql`
      update slots sl set web_booked = c.web, phone_booked = c.phone,
             web_capacity = greatest(sl.web_capacity, c.web), phone_capacity = greatest(sl.phone_capacity, c.phone)
      from (select slot_id, count(*) filter (where quota = 'web')::int as web, count(*) filter (where quota = 'phone')::int as phone
            from reservations where tenant_id = ${tenantId} and service_id = ${service.id} and status in ('booked', 'attended', 'no_show')
            group by slot_id) c
      where sl.tenant_id = ${tenantId} and sl.id = c.slot_id`);
    await rebuildFriendSnapshots(tx, tenantId, o.days);
  });
  return { serviceId: service.id, venueIds };
}

/**
 * Daily snapshots for the last `days` days rebuilt from follow and block dates (one pass with running
 * sums, not one count per day), the same shape the nightly job writes.
 */
async function rebuildFriendSnapshots(tx: Tx, tenantId: string, days: number) {
  const day = (c: string) => sql.raw(`(${c} at time zone '${TOKYO_TIME_ZONE}')::date`);
  await tx.execute(sql`
    with ev as (
      select ${day("followed_at")} as d, coalesce(age_band::text, 'unknown') as age, coalesce(gender::text, 'unknown') as g,
             coalesce(area, 'unknown') as a, 1 as df, 0 as db
      from line_friends where tenant_id = ${tenantId} and followed_at is not null
      union all
      select ${day("blocked_at")}, coalesce(age_band::text, 'unknown'), coalesce(gender::text, 'unknown'), coalesce(area, 'unknown'), -1, 1
      from line_friends where tenant_id = ${tenantId} and status = 'blocked' and blocked_at is not null
    ), days as (
      select generate_series(least((select min(d) from ev), current_date - ${days}::int), current_date, interval '1 day')::date as d
    ), tot as (
      select days.d, sum(coalesce(x.df, 0)) over w as following, sum(coalesce(x.db, 0)) over w as blocked
      from days left join (select d, sum(df) df, sum(db) db from ev group by d) x using (d)
      window w as (order by days.d)
    ), dim as (
      select kind, k, days.d, sum(coalesce(x.n, 0)) over (partition by kind, k order by days.d) as n
      from (select distinct 'age' as kind, age as k from ev union select distinct 'g', g from ev union select distinct 'a', a from ev) keys
      cross join days
      left join (select 'age' as kind, age as k, d, sum(df) n from ev group by 2, 3
                 union all select 'g', g, d, sum(df) from ev group by 2, 3
                 union all select 'a', a, d, sum(df) from ev group by 2, 3) x using (kind, k, d)
    )
    insert into line_friend_snapshots (tenant_id, day, following, blocked, by_age_band, by_gender, by_area, taken_at)
    select ${tenantId}, tot.d, tot.following, tot.blocked,
      (select coalesce(jsonb_object_agg(k, n) filter (where n > 0), '{}') from dim where dim.d = tot.d and kind = 'age'),
      (select coalesce(jsonb_object_agg(k, n) filter (where n > 0), '{}') from dim where dim.d = tot.d and kind = 'g'),
      (select coalesce(jsonb_object_agg(k, n) filter (where n > 0), '{}') from dim where dim.d = tot.d and kind = 'a'),
      now()
    from tot where tot.d >= current_date - ${days}::int
    on conflict (tenant_id, day) do update set following = excluded.following, blocked = excluded.blocked,
      by_age_band = excluded.by_age_band, by_gender = excluded.by_gender, by_area = excluded.by_area`);
}
