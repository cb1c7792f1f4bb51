-- An out-of-band "hotfix" applied straight to production, as happens at 3 a.m.
-- Each statement is a realistic drift that schemadrift check must report.

-- A hand-made index to speed up a slow query.
CREATE INDEX CONCURRENTLY patients_name_hotfix_idx ON care.patients (name);

-- Staff names longer than 120 characters arrived from an import.
ALTER TABLE app.accounts ALTER COLUMN full_name TYPE varchar(200);

-- Row-level security switched off "temporarily" while debugging a report.
ALTER TABLE care.visits DISABLE ROW LEVEL SECURITY;

-- Revenue now counts invoices that were only sent, not paid.
CREATE OR REPLACE FUNCTION billing.clinic_revenue(p_clinic bigint, p_year integer)
    RETURNS numeric
    LANGUAGE sql STABLE
    AS $$
        SELECT coalesce(sum(amount), 0)
        FROM billing.invoices
        WHERE clinic_id = p_clinic
          AND status IN ('sent', 'paid')
          AND extract(year FROM issued_on) = p_year
    $$;
