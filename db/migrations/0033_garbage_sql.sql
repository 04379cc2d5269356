-- The evening-before garbage push sweep (worker, once a minute) looks across all cities for those
-- whose push time has come; as for broadcasts (0015), a narrow SECURITY DEFINER function returns
-- ids and times only, and everything else runs inside withTenant for the city concerned.
CREATE OR REPLACE FUNCTION garbage_push_tenants()
RETURNS TABLE (tenant_id uuid, push_time text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT g.tenant_id, g.push_time FROM garbage_datasets AS g
    JOIN tenants AS t ON t.id = g.tenant_id
   WHERE g.push_time IS NOT NULL AND t.status = 'active';
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION garbage_push_tenants() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION garbage_push_tenants() TO madoguchi_app;
