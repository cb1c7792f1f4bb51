-- Each clinic sees only its own patients and visits. The clinic_staff role is
-- managed outside the migrations (it exists in every environment).

ALTER TABLE care.patients ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.visits ENABLE ROW LEVEL SECURITY;

CREATE POLICY patients_by_clinic ON care.patients
    FOR ALL TO clinic_staff
    USING (clinic_id = current_setting('app.clinic_id')::bigint);

CREATE POLICY visits_by_clinic ON care.visits
    FOR SELECT TO clinic_staff
    USING (clinic_id = current_setting('app.clinic_id')::bigint);
