CREATE VIEW care.upcoming_visits AS
    SELECT v.id, p.name AS patient, p.species, v.seen_at
    FROM care.visits v
    JOIN care.patients p ON p.id = v.patient_id
    WHERE v.seen_at > now();

CREATE MATERIALIZED VIEW billing.monthly_revenue AS
    SELECT clinic_id, date_trunc('month', issued_on) AS month, sum(amount) AS total
    FROM billing.invoices
    WHERE status = 'paid'
    GROUP BY clinic_id, date_trunc('month', issued_on);
CREATE UNIQUE INDEX monthly_revenue_key ON billing.monthly_revenue (clinic_id, month);
