-- The outbox relay works across all cities, but the app role is bound by RLS to one tenant at a time.
-- Rather than a BYPASSRLS role, the relay gets three narrow SECURITY DEFINER functions (owned by the
-- migration role): they touch only outbox bookkeeping columns and return ids, never tenant data.
CREATE OR REPLACE FUNCTION outbox_claim(batch integer, lease_seconds integer)
RETURNS TABLE (id bigint, tenant_id uuid, job_name text, payload jsonb, attempts integer)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE outbox AS o
     SET locked_until = now() + make_interval(secs => lease_seconds), attempts = o.attempts + 1
   WHERE o.id IN (
     SELECT p.id FROM outbox AS p
      WHERE p.relayed_at IS NULL AND p.available_at <= now()
        AND (p.locked_until IS NULL OR p.locked_until < now())
      ORDER BY p.id
      LIMIT batch
      FOR UPDATE SKIP LOCKED)
  RETURNING o.id, o.tenant_id, o.job_name, o.payload, o.attempts;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION outbox_mark_relayed(ids bigint[])
RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH done AS (
    UPDATE outbox AS o SET relayed_at = now(), locked_until = NULL, last_error = NULL
     WHERE o.id = ANY(ids) AND o.relayed_at IS NULL
    RETURNING 1)
  SELECT count(*)::integer FROM done;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION outbox_release(row_id bigint, retry_seconds integer, error_text text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE outbox AS o
     SET locked_until = NULL,
         available_at = now() + make_interval(secs => retry_seconds),
         last_error = left(error_text, 500)
   WHERE o.id = row_id AND o.relayed_at IS NULL;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION outbox_pending_count()
RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT count(*) FROM outbox WHERE relayed_at IS NULL;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION outbox_claim(integer, integer), outbox_mark_relayed(bigint[]), outbox_release(bigint, integer, text), outbox_pending_count() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION outbox_claim(integer, integer), outbox_mark_relayed(bigint[]), outbox_release(bigint, integer, text), outbox_pending_count() TO madoguchi_app;
