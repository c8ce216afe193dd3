/**
 * PostgreSQL's mail tables, one step per version (migrate-postgres.ts). The same tables as
 * SQLite's, in PostgreSQL's types: BIGINT for ms timestamps, bytea for raw bytes.
 */
export const MAIL_STEPS: readonly string[] = [
  // SQLite's steps 1–3, 6 and 7 (server/storage/migrations.ts) in their final state.
  `
  CREATE TABLE messages (
    id                 BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- never reused, as AUTOINCREMENT
    namespace          TEXT    NOT NULL,
    queue_id           TEXT    NOT NULL,
    received_at        BIGINT  NOT NULL,                   -- ms since the epoch
    mail_from          TEXT    NOT NULL,
    rcpt_to            TEXT    NOT NULL,                   -- JSON array of addresses
    client_helo        TEXT    NOT NULL,
    remote_address     TEXT    NOT NULL,
    authenticated_user TEXT,
    secure             INTEGER NOT NULL,
    size               BIGINT  NOT NULL,
    raw                BYTEA   NOT NULL,                   -- byte-exact, as received
    subject            TEXT,
    from_text          TEXT,
    to_text            TEXT,
    cc_text            TEXT,
    date               BIGINT,                             -- the Date header, ms since the epoch
    message_id         TEXT,
    headers            TEXT    NOT NULL,                   -- JSON [{ key, value }] in message order
    text_body          TEXT,
    html_body          TEXT,
    attachment_count   INTEGER NOT NULL,
    parse_error        TEXT,
    parsed             INTEGER NOT NULL DEFAULT 1,
    bare_cr            INTEGER NOT NULL DEFAULT 0,
    mailbox            TEXT,
    lab_host           TEXT,
    outbound_id        BIGINT,                             -- no FK, as in SQLite
    authentication     TEXT,
    dns_lookups        TEXT,
    disposition        TEXT,
    lab_received_at    BIGINT
  );
  CREATE INDEX messages_by_namespace ON messages (namespace, received_at, id);
  CREATE INDEX messages_unparsed ON messages (id) WHERE parsed = 0;
  CREATE INDEX messages_by_mailbox ON messages (namespace, mailbox, received_at, id) WHERE mailbox IS NOT NULL;

  CREATE TABLE attachments (
    message_id   BIGINT  NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    filename     TEXT,
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    content_id   TEXT,
    content      BYTEA   NOT NULL,
    PRIMARY KEY (message_id, position)
  );

  CREATE TABLE namespace_stats (
    namespace     TEXT PRIMARY KEY,
    evicted_total BIGINT NOT NULL DEFAULT 0,
    message_count BIGINT NOT NULL DEFAULT 0
  );

  CREATE TABLE sessions (
    id             TEXT    PRIMARY KEY,
    namespace      TEXT    NOT NULL,
    target         TEXT    NOT NULL,
    client_address TEXT    NOT NULL,
    started_at     BIGINT  NOT NULL,
    ended_at       BIGINT,
    end_reason     TEXT,
    -- SQLite breaks ties in started_at by rowid; this is PostgreSQL's insertion order.
    created_seq    BIGINT  GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX sessions_by_namespace ON sessions (namespace, started_at);

  CREATE TABLE session_events (
    seq        BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    at         BIGINT  NOT NULL,
    event      TEXT    NOT NULL                            -- JSON
  );
  CREATE INDEX session_events_by_session ON session_events (session_id, seq);
  `,
  // The sandbox's own greylisting memory (server/sandbox/sandbox-greylist-store.ts).
  `
  CREATE TABLE sandbox_greylist (
    sender     TEXT   NOT NULL,                  -- MAIL FROM, lower-case
    recipient  TEXT   NOT NULL,                  -- RCPT TO, lower-case
    first_seen BIGINT NOT NULL,                  -- ms since the epoch
    PRIMARY KEY (sender, recipient)
  );
  CREATE INDEX sandbox_greylist_by_age ON sandbox_greylist (first_seen);
  `,
];
