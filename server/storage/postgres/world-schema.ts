/**
 * PostgreSQL's world tables, one step per version (migrate-postgres.ts). The same tables as
 * SQLite's, in PostgreSQL's types: BIGINT for ms timestamps, bytea for raw bytes.
 */
export const WORLD_STEPS: readonly string[] = [];
