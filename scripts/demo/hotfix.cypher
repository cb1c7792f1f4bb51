// Duplicate microchips arrived from an import, so someone dropped the constraint.
DROP CONSTRAINT pet_chip;
