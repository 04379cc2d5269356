-- Hand-written (issue 14.8, ADR 037): the worker's /metrics reads the outbox backlog and the age of
-- its oldest unrelayed row. The outbox is under RLS and the app role sees no rows without a tenant,
-- so, like outbox_pending_count, this is a SECURITY DEFINER function returning only two numbers.
CREATE OR REPLACE FUNCTION outbox_backlog()
RETURNS TABLE (pending bigint, oldest_age_seconds double precision)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::double precision
    FROM outbox WHERE relayed_at IS NULL;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION outbox_backlog() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION outbox_backlog() TO madoguchi_app;
