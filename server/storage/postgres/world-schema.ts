/**
 * PostgreSQL's world tables, one step per version (migrate-postgres.ts). The same tables as
 * SQLite's (server/storage/migrations.ts, in their final state), in PostgreSQL's types: BIGINT
 * for ms timestamps and ids, BYTEA for the queued raw message, TEXT for JSON.
 */
export const WORLD_STEPS: readonly string[] = [
  // The DNS zone and host switches per namespace (zone-store.ts, host-settings-store.ts), the
  // outbound queue with each attempt's hop (outbound/), and the lab clock's saved reading.
  `
  CREATE TABLE world_zones (
    namespace  TEXT   PRIMARY KEY,
    records    TEXT   NOT NULL,                  -- JSON [{ name, type, ttl, value }], checked
    updated_at BIGINT NOT NULL                   -- ms since the epoch
  );

  CREATE TABLE world_hosts (
    namespace  TEXT   PRIMARY KEY,
    hosts      TEXT   NOT NULL,                  -- JSON [{ name, down, greylisting, … }], checked
    updated_at BIGINT NOT NULL                   -- ms since the epoch
  );

  CREATE TABLE outbound_queue (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    namespace       TEXT    NOT NULL,
    queue_id        TEXT    NOT NULL,            -- the sandbox's id from its 250
    mail_from       TEXT    NOT NULL,            -- "" for the null sender
    recipient       TEXT    NOT NULL,
    client_helo     TEXT    NOT NULL,
    client_address  TEXT    NOT NULL,
    raw             BYTEA   NOT NULL,            -- as the sandbox received it
    state           TEXT    NOT NULL,            -- queued, in-flight, delivered, bounced, expired
    attempts        INTEGER NOT NULL DEFAULT 0,
    received_at     BIGINT  NOT NULL,            -- lab ms
    next_attempt_at BIGINT  NOT NULL,            -- lab ms
    expires_at      BIGINT  NOT NULL,            -- lab ms
    lease_until     BIGINT,                      -- real ms, while in flight
    last_reply      TEXT,                        -- the last reply or failure, as text
    last_host       TEXT,                        -- the host that gave it
    dsn             TEXT    NOT NULL DEFAULT 'none', -- none, due, sent
    from_ip         TEXT,                        -- a forwarder's lab IP; NULL: the sandbox
    from_helo       TEXT,
    forwarded_from  BIGINT                       -- the row that brought it to the forwarder
  );
  CREATE INDEX outbound_due ON outbound_queue (state, next_attempt_at);
  CREATE INDEX outbound_by_namespace ON outbound_queue (namespace, id);
  CREATE INDEX outbound_waiting ON outbound_queue (namespace, next_attempt_at, id) WHERE state IN ('queued', 'in-flight');

  CREATE TABLE journey_hops (
    id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbound_id BIGINT  NOT NULL REFERENCES outbound_queue (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    started_at  BIGINT  NOT NULL,                -- lab ms
    hop         TEXT    NOT NULL                 -- JSON: lookups, host, transcript, outcome
  );
  CREATE INDEX journey_hops_by_row ON journey_hops (outbound_id, id);

  CREATE TABLE lab_clock (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    lab_ms BIGINT  NOT NULL
  );
  `,
  // The lab MX hosts' greylisting memory (greylist-store.ts), shared by every process.
  `
  CREATE TABLE greylist_triplets (
    host       TEXT   NOT NULL,                  -- the lab MX that greylists
    sender_key TEXT   NOT NULL,                  -- the namespace and the client's lab IP
    sender     TEXT   NOT NULL,                  -- MAIL FROM, lower-case
    recipient  TEXT   NOT NULL,                  -- RCPT TO, lower-case
    first_seen BIGINT NOT NULL,                  -- lab ms
    PRIMARY KEY (host, sender_key, sender, recipient)
  );
  CREATE INDEX greylist_by_age ON greylist_triplets (first_seen);
  `,
  // When the lab clock's reading was saved (real ms): a starting process joins the running ones' lab time.
  `
  ALTER TABLE lab_clock ADD COLUMN real_ms BIGINT;
  `,
];
