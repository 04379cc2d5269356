-- The vendor console reads across cities, but the app role is bound by RLS to one tenant at a time
-- (ADR 005). As with the outbox relay, three narrow SECURITY DEFINER functions (owned by the migration
-- role) return bookkeeping only (and one yes/no): the onboarding wizard's progress, and counts and times for the
-- tenant-health table. Never a resident's data.
CREATE OR REPLACE FUNCTION onboarding_overview()
RETURNS TABLE (tenant_id uuid, current_step text, steps jsonb, updated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT o.tenant_id, o.current_step, o.steps, o.updated_at
    FROM onboardings AS o
   WHERE o.completed_at IS NULL;
$$;
--> statement-breakpoint
-- One row per live city. `since` bounds the webhook-error window, `day_start`
-- is the start of today in the city's time (Japan); `stale_before` marks a stored webhook event that
-- is still unprocessed as failed (its job gave up or never ran).
CREATE OR REPLACE FUNCTION tenant_health_counts(since timestamptz, day_start timestamptz, stale_before timestamptz)
RETURNS TABLE (tenant_id uuid, failed_events integer, outbox_pending integer, bookings_today integer, last_broadcast_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH ev AS (
    SELECT e.tenant_id, count(*)::integer AS n
      FROM line_webhook_events AS e
     WHERE e.received_at >= since
       AND (e.error IS NOT NULL OR (e.processed_at IS NULL AND e.received_at < stale_before))
     GROUP BY e.tenant_id
  ), ob AS (
    SELECT o.tenant_id, count(*)::integer AS n FROM outbox AS o WHERE o.relayed_at IS NULL GROUP BY o.tenant_id
  ), bk AS (
    SELECT r.tenant_id, count(*)::integer AS n FROM reservations AS r WHERE r.created_at >= day_start GROUP BY r.tenant_id
  ), br AS (
    SELECT u.tenant_id, max(u.updated_at) AS at FROM usage_monthly AS u WHERE u.metric = 'broadcasts' AND u.count > 0 GROUP BY u.tenant_id
  )
  SELECT t.id, coalesce(ev.n, 0), coalesce(ob.n, 0), coalesce(bk.n, 0), br.at
    FROM tenants AS t
    LEFT JOIN ev ON ev.tenant_id = t.id
    LEFT JOIN ob ON ob.tenant_id = t.id
    LEFT JOIN bk ON bk.tenant_id = t.id
    LEFT JOIN br ON br.tenant_id = t.id
   WHERE t.status = 'active';
$$;
--> statement-breakpoint
-- Is a LINE Messaging API channel already some other city's? Two cities on one channel would
-- overwrite each other's webhook URL and send from the wrong account.
CREATE OR REPLACE FUNCTION line_channel_taken(line_channel_id text, except_tenant uuid)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM line_channels AS c WHERE c.channel_id = line_channel_id AND c.tenant_id <> except_tenant);
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION onboarding_overview(), tenant_health_counts(timestamptz, timestamptz, timestamptz), line_channel_taken(text, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION onboarding_overview(), tenant_health_counts(timestamptz, timestamptz, timestamptz), line_channel_taken(text, uuid) TO madoguchi_app;
