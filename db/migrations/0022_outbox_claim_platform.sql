-- Platform rows (tenant_id null, ADR 023) can be relayed on their own, as one city's rows can:
-- tests and operators relay only what is theirs. only_platform = true claims just those rows.
DROP FUNCTION IF EXISTS outbox_claim(integer, integer, uuid);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION outbox_claim(batch integer, lease_seconds integer, only_tenant uuid DEFAULT NULL, only_platform boolean DEFAULT false)
RETURNS TABLE (id bigint, tenant_id uuid, job_name text, payload jsonb, attempts integer)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE outbox AS o
     SET locked_until = now() + make_interval(secs => lease_seconds), attempts = o.attempts + 1
   WHERE o.id IN (
     SELECT p.id FROM outbox AS p
      WHERE p.relayed_at IS NULL AND p.available_at <= now()
        AND (p.locked_until IS NULL OR p.locked_until < now())
        AND (only_tenant IS NULL OR p.tenant_id = only_tenant)
        AND (NOT only_platform OR p.tenant_id IS NULL)
      ORDER BY p.id
      LIMIT batch
      FOR UPDATE SKIP LOCKED)
  RETURNING o.id, o.tenant_id, o.job_name, o.payload, o.attempts;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION outbox_claim(integer, integer, uuid, boolean) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION outbox_claim(integer, integer, uuid, boolean) TO madoguchi_app;
