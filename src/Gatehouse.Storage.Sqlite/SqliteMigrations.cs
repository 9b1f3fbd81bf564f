namespace Gatehouse.Storage.Sqlite;

/// <summary>
/// The schema's history. Each entry is applied once, in order, inside a transaction, and
/// recorded in <c>schema_migrations</c>; a released entry is never edited, only followed.
/// </summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> All =
    [
        (1, "identity", """
            CREATE TABLE organizations (
                id          TEXT PRIMARY KEY,
                name        TEXT NOT NULL,
                created_at  TEXT NOT NULL
            );
            CREATE TABLE accounts (
                id              TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations(id),
                name            TEXT NOT NULL,
                email           TEXT,
                created_at      TEXT NOT NULL
            );
            CREATE INDEX accounts_organization ON accounts(organization_id);
            CREATE TABLE api_keys (
                id           TEXT PRIMARY KEY,
                account_id   TEXT NOT NULL REFERENCES accounts(id),
                name         TEXT NOT NULL,
                secret_hash  BLOB NOT NULL,
                created_at   TEXT NOT NULL
            );
            CREATE INDEX api_keys_account ON api_keys(account_id);
            CREATE TABLE admin_tokens (
                id           TEXT PRIMARY KEY,
                role         TEXT NOT NULL,
                name         TEXT NOT NULL,
                secret_hash  BLOB NOT NULL,
                created_at   TEXT NOT NULL
            );
            """),
    ];
}
