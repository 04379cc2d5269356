-- The broadcast sweep (worker, once a minute) looks across all cities, but the app role is bound by RLS
-- to one tenant at a time. As for the outbox relay (0001), two narrow SECURITY DEFINER functions return
-- ids only; everything else the sweep does runs inside withTenant for the city concerned.
CREATE OR REPLACE FUNCTION broadcasts_due(at_time timestamptz, max_rows integer)
RETURNS TABLE (tenant_id uuid, broadcast_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT b.tenant_id, b.id FROM broadcasts AS b
   WHERE b.status = 'scheduled' AND b.next_run_at <= at_time
   ORDER BY b.next_run_at
   LIMIT max_rows;
$$;
--> statement-breakpoint
-- Runs that have not moved for a while (their start or chunk jobs were lost, or failed for good while
-- LINE was down): the sweep re-queues their unsent chunks. Chunk sends are idempotent (retry keys).
CREATE OR REPLACE FUNCTION broadcast_runs_stalled(idle_before timestamptz, max_rows integer)
RETURNS TABLE (tenant_id uuid, run_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT r.tenant_id, r.id FROM broadcast_runs AS r
   WHERE r.status IN ('pending', 'sending') AND r.updated_at < idle_before
   ORDER BY r.updated_at
   LIMIT max_rows;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION broadcasts_due(timestamptz, integer), broadcast_runs_stalled(timestamptz, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION broadcasts_due(timestamptz, integer), broadcast_runs_stalled(timestamptz, integer) TO madoguchi_app;
