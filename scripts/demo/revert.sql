-- Undo scripts/demo/hotfix.sql, so that production matches its migrations again.
DROP INDEX care.patients_name_hotfix_idx;
ALTER TABLE app.accounts ALTER COLUMN full_name TYPE varchar(120);
ALTER TABLE care.visits ENABLE ROW LEVEL SECURITY;
CREATE OR REPLACE FUNCTION billing.clinic_revenue(p_clinic bigint, p_year integer)
    RETURNS numeric
    LANGUAGE sql STABLE
    AS $$
        SELECT coalesce(sum(amount), 0)
        FROM billing.invoices
        WHERE clinic_id = p_clinic
          AND status = 'paid'
          AND extract(year FROM issued_on) = p_year
    $$;
