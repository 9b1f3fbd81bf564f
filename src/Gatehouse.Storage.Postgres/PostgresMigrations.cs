namespace Gatehouse.Storage.Postgres;

/// <summary>
/// The schema's history, version for version the same as SQLite's in PostgreSQL's types: times
/// are timestamptz, days date, hashes bytea, flags boolean. Each entry is applied once, in order,
/// inside a transaction, and recorded in <c>schema_migrations</c>; a released entry is never
/// edited, only followed.
/// </summary>
internal static class PostgresMigrations
{
    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> All =
    [
        (1, "identity", """
            CREATE TABLE organizations (
                id          TEXT PRIMARY KEY,
                name        TEXT NOT NULL,
                created_at  TIMESTAMPTZ NOT NULL
            );
            CREATE TABLE accounts (
                id              TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations(id),
                name            TEXT NOT NULL,
                email           TEXT,
                created_at      TIMESTAMPTZ NOT NULL
            );
            CREATE INDEX accounts_organization ON accounts(organization_id);
            CREATE TABLE api_keys (
                id           TEXT PRIMARY KEY,
                account_id   TEXT NOT NULL REFERENCES accounts(id),
                name         TEXT NOT NULL,
                secret_hash  BYTEA NOT NULL,
                created_at   TIMESTAMPTZ NOT NULL
            );
            CREATE INDEX api_keys_account ON api_keys(account_id);
            CREATE TABLE admin_tokens (
                id           TEXT PRIMARY KEY,
                role         TEXT NOT NULL,
                name         TEXT NOT NULL,
                secret_hash  BYTEA NOT NULL,
                created_at   TIMESTAMPTZ NOT NULL
            );
            """),
        (2, "kyc, key lifecycle, flags, audit", """
            ALTER TABLE organizations ADD COLUMN legal_name TEXT;
            ALTER TABLE organizations ADD COLUMN registered_country TEXT;
            ALTER TABLE accounts ADD COLUMN legal_name TEXT;
            ALTER TABLE accounts ADD COLUMN registered_country TEXT;
            ALTER TABLE accounts ADD COLUMN billing_line1 TEXT;
            ALTER TABLE accounts ADD COLUMN billing_line2 TEXT;
            ALTER TABLE accounts ADD COLUMN billing_city TEXT;
            ALTER TABLE accounts ADD COLUMN billing_postal_code TEXT;
            ALTER TABLE accounts ADD COLUMN billing_country TEXT;
            ALTER TABLE accounts ADD COLUMN card_country TEXT;
            ALTER TABLE accounts ADD COLUMN verification TEXT NOT NULL DEFAULT 'unverified';
            ALTER TABLE accounts ADD COLUMN verified_at TIMESTAMPTZ;
            ALTER TABLE accounts ADD COLUMN verification_method TEXT;
            ALTER TABLE accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
            ALTER TABLE accounts ADD COLUMN status_reason TEXT;
            ALTER TABLE accounts ADD COLUMN status_changed_at TIMESTAMPTZ;
            ALTER TABLE api_keys ADD COLUMN expires_at TIMESTAMPTZ;
            ALTER TABLE api_keys ADD COLUMN revoked_at TIMESTAMPTZ;
            ALTER TABLE api_keys ADD COLUMN replaced_by TEXT;
            ALTER TABLE api_keys ADD COLUMN allowed_networks TEXT NOT NULL DEFAULT '';
            ALTER TABLE api_keys ADD COLUMN rate_limit_requests INTEGER;
            ALTER TABLE api_keys ADD COLUMN rate_limit_window_ms BIGINT;
            ALTER TABLE admin_tokens ADD COLUMN revoked_at TIMESTAMPTZ;
            CREATE TABLE flags (
                id              TEXT PRIMARY KEY,
                account_id      TEXT NOT NULL REFERENCES accounts(id),
                reason          TEXT NOT NULL,
                summary         TEXT NOT NULL,
                raised_at       TIMESTAMPTZ NOT NULL,
                occurrences     INTEGER NOT NULL,
                review_action   TEXT,
                review_comment  TEXT,
                reviewer        TEXT,
                reviewed_at     TIMESTAMPTZ
            );
            CREATE INDEX flags_account ON flags(account_id);
            CREATE TABLE flag_evidence (
                flag_id       TEXT NOT NULL REFERENCES flags(id),
                position      INTEGER NOT NULL,
                decision_id   TEXT NOT NULL,
                time          TIMESTAMPTZ NOT NULL,
                client        TEXT NOT NULL,
                country       TEXT,
                network_type  TEXT NOT NULL,
                asn           BIGINT NOT NULL,
                network_name  TEXT,
                model         TEXT NOT NULL,
                reason_code   TEXT NOT NULL,
                message       TEXT NOT NULL,
                PRIMARY KEY (flag_id, position)
            );
            CREATE TABLE admin_audit (
                id         TEXT PRIMARY KEY,
                position   BIGINT GENERATED ALWAYS AS IDENTITY,
                time       TIMESTAMPTZ NOT NULL,
                actor      TEXT NOT NULL,
                action     TEXT NOT NULL,
                target_id  TEXT NOT NULL,
                changes    TEXT NOT NULL,
                comment    TEXT
            );
            CREATE INDEX admin_audit_target ON admin_audit(target_id, time);
            CREATE INDEX admin_audit_time ON admin_audit(time);
            """),
        (3, "export licences, sanctions lists, sanctions matches", """
            CREATE TABLE export_licenses (
                id                 TEXT PRIMARY KEY,
                number             TEXT NOT NULL,
                organization_id    TEXT NOT NULL REFERENCES organizations(id),
                models             TEXT NOT NULL,
                countries          TEXT NOT NULL,
                valid_from         TIMESTAMPTZ NOT NULL,
                valid_to           TIMESTAMPTZ NOT NULL,
                created_at         TIMESTAMPTZ NOT NULL,
                note               TEXT,
                revoked_at         TIMESTAMPTZ,
                revocation_reason  TEXT
            );
            CREATE INDEX export_licenses_organization ON export_licenses(organization_id);
            CREATE TABLE sanctions_versions (
                id           TEXT PRIMARY KEY,
                source       TEXT NOT NULL,
                imported_at  TIMESTAMPTZ NOT NULL,
                imported_by  TEXT NOT NULL,
                entry_count  INTEGER NOT NULL,
                added        INTEGER NOT NULL,
                changed      INTEGER NOT NULL,
                delisted     INTEGER NOT NULL,
                published    TIMESTAMPTZ,
                files        TEXT NOT NULL
            );
            CREATE TABLE sanctions_entries (
                source       TEXT NOT NULL,
                entry_id     TEXT NOT NULL,
                type         TEXT NOT NULL,
                name         TEXT NOT NULL,
                aliases      TEXT NOT NULL,
                countries    TEXT NOT NULL,
                addresses    TEXT NOT NULL,
                programs     TEXT,
                remarks      TEXT,
                fingerprint  TEXT NOT NULL,
                listed_in    TEXT NOT NULL REFERENCES sanctions_versions(id),
                delisted_in  TEXT REFERENCES sanctions_versions(id),
                PRIMARY KEY (source, entry_id)
            );
            ALTER TABLE flags ADD COLUMN match_subject TEXT;
            ALTER TABLE flags ADD COLUMN match_subject_id TEXT;
            ALTER TABLE flags ADD COLUMN match_screened_name TEXT;
            ALTER TABLE flags ADD COLUMN match_entry TEXT;
            ALTER TABLE flags ADD COLUMN match_fingerprint TEXT;
            ALTER TABLE flags ADD COLUMN match_entry_name TEXT;
            ALTER TABLE flags ADD COLUMN match_name TEXT;
            ALTER TABLE flags ADD COLUMN match_score DOUBLE PRECISION;
            ALTER TABLE flags ADD COLUMN match_country BOOLEAN;
            ALTER TABLE flags ADD COLUMN match_address BOOLEAN;
            ALTER TABLE flags ADD COLUMN match_programs TEXT;
            CREATE INDEX flags_reason ON flags(reason, reviewed_at);
            """),
        (4, "model kill switches, substitution opt-in", """
            CREATE TABLE model_switches (
                id          TEXT PRIMARY KEY,
                disabled    BOOLEAN NOT NULL,
                reason      TEXT NOT NULL,
                changed_at  TIMESTAMPTZ NOT NULL,
                changed_by  TEXT NOT NULL
            );
            ALTER TABLE organizations ADD COLUMN accepts_substitutes BOOLEAN NOT NULL DEFAULT FALSE;
            """),
        (5, "endpoints created through the admin API", """
            CREATE TABLE endpoints (
                id               TEXT PRIMARY KEY,
                model_id         TEXT NOT NULL,
                provider         TEXT NOT NULL,
                base_url         TEXT NOT NULL,
                region           TEXT NOT NULL,
                upstream_model   TEXT,
                api_key_env      TEXT,
                organization_id  TEXT REFERENCES organizations(id),
                created_at       TIMESTAMPTZ NOT NULL,
                created_by       TEXT NOT NULL
            );
            """),
        (6, "hash-chained audit log", """
            CREATE TABLE audit_log (
                seq              BIGINT PRIMARY KEY,
                time_ms          BIGINT NOT NULL,
                kind             TEXT NOT NULL,
                dropped_through  BIGINT,
                request_id       TEXT,
                decision_id      TEXT,
                key_id           TEXT,
                account_id       TEXT,
                organization_id  TEXT,
                client           TEXT,
                country          TEXT,
                network_type     TEXT,
                requested_model  TEXT,
                model            TEXT,
                endpoint         TEXT,
                region           TEXT,
                effect           TEXT,
                reason_code      TEXT,
                layer            TEXT,
                rule             TEXT,
                license_id       TEXT,
                license_number   TEXT,
                actor            TEXT,
                action           TEXT,
                target_id        TEXT,
                detail           TEXT,
                comment          TEXT,
                dropped_hash     TEXT,
                prev_hash        BYTEA NOT NULL,
                hash             BYTEA NOT NULL
            );
            CREATE INDEX audit_log_time ON audit_log(time_ms);
            CREATE INDEX audit_log_account ON audit_log(account_id);
            """),
        (7, "usage per day, budgets", """
            CREATE TABLE usage_daily (
                day                 DATE NOT NULL,
                account_id          TEXT NOT NULL,
                organization_id     TEXT NOT NULL,
                model               TEXT NOT NULL,
                requests            BIGINT NOT NULL,
                unmetered_requests  BIGINT NOT NULL,
                input_tokens        BIGINT NOT NULL,
                output_tokens       BIGINT NOT NULL,
                cost_nanodollars    BIGINT NOT NULL,
                PRIMARY KEY (day, account_id, organization_id, model)
            );
            CREATE INDEX usage_daily_account ON usage_daily(account_id, day);
            CREATE INDEX usage_daily_organization ON usage_daily(organization_id, day);
            CREATE TABLE budgets (
                subject_id                TEXT PRIMARY KEY,
                scope                     TEXT NOT NULL,
                daily_limit_nanodollars   BIGINT NOT NULL,
                changed_at                TIMESTAMPTZ NOT NULL,
                changed_by                TEXT NOT NULL
            );
            """),
        (8, "stored policies, every version", """
            CREATE TABLE policy_versions (
                id             TEXT NOT NULL,
                version        INTEGER NOT NULL,
                document       TEXT NOT NULL,
                gateway        BOOLEAN NOT NULL,
                organizations  TEXT NOT NULL,
                created_at     TIMESTAMPTZ NOT NULL,
                changed_at     TIMESTAMPTZ NOT NULL,
                changed_by     TEXT NOT NULL,
                deleted_at     TIMESTAMPTZ,
                PRIMARY KEY (id, version)
            );
            """),
    ];
}
