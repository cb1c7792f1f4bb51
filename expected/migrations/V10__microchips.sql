-- V10 sorts after V5 (versions compare numerically, not as text).
ALTER TABLE care.patients ADD COLUMN microchip varchar(15);
CREATE UNIQUE INDEX patients_microchip_key ON care.patients (microchip) WHERE microchip IS NOT NULL;
COMMENT ON COLUMN care.patients.microchip IS 'ISO 11784 transponder number';
ALTER TYPE care.species ADD VALUE 'ferret';
