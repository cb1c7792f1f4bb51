CREATE SCHEMA billing;

CREATE TYPE billing.invoice_status AS ENUM ('draft', 'sent', 'paid');

-- Invoices are partitioned by issue date, one partition a year.
CREATE TABLE billing.invoices (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    clinic_id   bigint NOT NULL,
    patient_id  uuid NOT NULL,
    issued_on   date NOT NULL,
    status      billing.invoice_status NOT NULL DEFAULT 'draft',
    amount      numeric(10,2) NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (id, issued_on)
) PARTITION BY RANGE (issued_on);

CREATE TABLE billing.invoices_2025 PARTITION OF billing.invoices
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE billing.invoices_2026 PARTITION OF billing.invoices
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

CREATE FUNCTION billing.clinic_revenue(p_clinic bigint, p_year integer)
    RETURNS numeric
    LANGUAGE sql STABLE
    AS $$
        SELECT coalesce(sum(amount), 0)
        FROM billing.invoices
        WHERE clinic_id = p_clinic
          AND status = 'paid'
          AND extract(year FROM issued_on) = p_year
    $$;
