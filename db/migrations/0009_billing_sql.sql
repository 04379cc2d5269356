-- Billing (ADR billing). The billing tables are tenant tables (RLS); three narrow SECURITY DEFINER
-- functions give the app role the cross-city views the vendor needs, returning ids, counts and
-- billing bookkeeping only (as the outbox relay's functions do, ADR 005).

-- A Stripe webhook knows only the customer id: which city is it? (stripe_customer_id is UNIQUE.)
CREATE OR REPLACE FUNCTION billing_tenant_by_customer(p_customer text)
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT b.tenant_id FROM city_billing AS b WHERE b.stripe_customer_id = p_customer;
$$;
--> statement-breakpoint
-- The vendor's billing overview: every city's plan, state and latest invoice.
CREATE OR REPLACE FUNCTION billing_overview()
RETURNS TABLE (tenant_id uuid, plan_id text, status billing_status, collection_method billing_collection_method,
               current_period_end timestamptz, past_due_since timestamptz, grace_until timestamptz,
               invoice_number text, invoice_status text, invoice_amount_yen integer, invoice_due_date timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT b.tenant_id, b.plan_id, b.status, b.collection_method, b.current_period_end, b.past_due_since, b.grace_until,
         i.number, i.status, i.amount_due_yen, i.due_date
    FROM city_billing AS b
    LEFT JOIN LATERAL (
      SELECT ci.number, ci.status, ci.amount_due_yen, ci.due_date FROM city_invoices AS ci
       WHERE ci.tenant_id = b.tenant_id ORDER BY ci.stripe_created_at DESC, ci.stripe_invoice_id DESC LIMIT 1) AS i ON true;
$$;
--> statement-breakpoint
-- Usage per city for one Japan-time month (p_month = its first day): LINE friends following at the
-- month's end (or now, for the current month), reservations created in the month, and the counters
-- senders record in usage_monthly. Counts only. p_tenant limits it to one city.
CREATE OR REPLACE FUNCTION usage_report(p_month date, p_tenant uuid DEFAULT NULL)
RETURNS TABLE (tenant_id uuid, friends bigint, reservations bigint, line_messages bigint, broadcasts bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH bounds AS (
    SELECT (p_month::timestamp AT TIME ZONE 'Asia/Tokyo') AS starts,
           ((p_month + interval '1 month')::timestamp AT TIME ZONE 'Asia/Tokyo') AS ends)
  SELECT t.id,
    (SELECT count(*) FROM line_friends f, bounds
      WHERE f.tenant_id = t.id AND coalesce(f.followed_at, f.created_at) < least(bounds.ends, now())
        AND (f.status = 'following' OR f.blocked_at >= least(bounds.ends, now()))),
    (SELECT count(*) FROM reservations r, bounds
      WHERE r.tenant_id = t.id AND r.created_at >= bounds.starts AND r.created_at < bounds.ends),
    coalesce((SELECT u.count FROM usage_monthly u WHERE u.tenant_id = t.id AND u.month = p_month AND u.metric = 'line_messages'), 0),
    coalesce((SELECT u.count FROM usage_monthly u WHERE u.tenant_id = t.id AND u.month = p_month AND u.metric = 'broadcasts'), 0)
  FROM tenants AS t
  WHERE p_tenant IS NULL OR t.id = p_tenant;
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION billing_tenant_by_customer(text), billing_overview(), usage_report(date, uuid) TO madoguchi_app;
--> statement-breakpoint
-- The price list by population band (Stripe ids are filled in on first use, see syncPlans()).
INSERT INTO plans (id, name, population_min, population_max, amount_yen_per_month, sort_order) VALUES
  ('small', 'スモール（人口3万人未満）', 0, 30000, 50000, 1),
  ('standard', 'スタンダード（人口3万〜10万人）', 30000, 100000, 120000, 2),
  ('large', 'ラージ（人口10万〜50万人）', 100000, 500000, 250000, 3),
  ('metro', 'メトロ（人口50万人以上）', 500000, NULL, 480000, 4)
ON CONFLICT (id) DO NOTHING;
