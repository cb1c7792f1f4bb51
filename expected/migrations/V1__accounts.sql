-- A small veterinary practice application: clinics, staff accounts.
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'Accounts and clinics';

CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE app.clinics (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app.accounts (
    id          serial PRIMARY KEY,
    clinic_id   bigint NOT NULL REFERENCES app.clinics (id) ON DELETE CASCADE,
    email       citext NOT NULL UNIQUE,
    full_name   varchar(120) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN app.accounts.email IS 'Login address, case-insensitive';

CREATE FUNCTION app.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER clinics_touch BEFORE UPDATE ON app.clinics
    FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();
CREATE TRIGGER accounts_touch BEFORE UPDATE ON app.accounts
    FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();
