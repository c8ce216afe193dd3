/**
 * The database schema, one step per `PRAGMA user_version`. A step is never edited once
 * shipped: a change is a new step appended to the list, so old data directories upgrade.
 *
 * Every table that holds learner data has a `namespace` column and every query filters on it:
 * single-user mode uses one namespace, the classroom one per student.
 */
import type { Database } from 'better-sqlite3';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE messages (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: a deleted id is never reused
    namespace          TEXT    NOT NULL,
    queue_id           TEXT    NOT NULL,
    received_at        INTEGER NOT NULL,                   -- ms since the epoch
    mail_from          TEXT    NOT NULL,
    rcpt_to            TEXT    NOT NULL,                   -- JSON array of addresses
    client_helo        TEXT    NOT NULL,
    remote_address     TEXT    NOT NULL,
    authenticated_user TEXT,
    secure             INTEGER NOT NULL,
    size               INTEGER NOT NULL,
    raw                BLOB    NOT NULL,                   -- byte-exact, as received
    subject            TEXT,
    from_text          TEXT,
    to_text            TEXT,
    cc_text            TEXT,
    date               INTEGER,                            -- the Date header, ms since the epoch
    message_id         TEXT,
    headers            TEXT    NOT NULL,                   -- JSON [{ key, value }] in message order
    text_body          TEXT,
    html_body          TEXT,
    attachment_count   INTEGER NOT NULL,
    parse_error        TEXT
  );
  CREATE INDEX messages_by_namespace ON messages (namespace, received_at, id);

  CREATE TABLE attachments (
    message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    filename     TEXT,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    content_id   TEXT,
    content      BLOB    NOT NULL,
    PRIMARY KEY (message_id, position)
  ) WITHOUT ROWID;

  CREATE TABLE namespace_stats (
    namespace     TEXT PRIMARY KEY,
    evicted_total INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;

  CREATE TABLE sessions (
    id             TEXT    PRIMARY KEY,
    namespace      TEXT    NOT NULL,
    target         TEXT    NOT NULL,
    client_address TEXT    NOT NULL,
    started_at     INTEGER NOT NULL,
    ended_at       INTEGER,
    end_reason     TEXT
  );
  CREATE INDEX sessions_by_namespace ON sessions (namespace, started_at);

  CREATE TABLE session_events (
    seq        INTEGER PRIMARY KEY,                        -- rowid: one cheap INSERT per event
    session_id TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    event      TEXT    NOT NULL                            -- JSON
  );
  CREATE INDEX session_events_by_session ON session_events (session_id, seq);
  `,
  // Ingest stores the raw message first and parses it later (capture-worker.ts), and counts
  // per namespace in namespace_stats instead of a COUNT(*) scan on every insert.
  `
  ALTER TABLE messages ADD COLUMN parsed INTEGER NOT NULL DEFAULT 1;  -- step 1 parsed on arrival
  CREATE INDEX messages_unparsed ON messages (id) WHERE parsed = 0;

  -- Kept by MessageStore, the only code that inserts or deletes messages, in the same
  -- transactions (a trigger per row would cost a third of a message's insert).
  ALTER TABLE namespace_stats ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
  INSERT INTO namespace_stats (namespace, message_count)
    SELECT namespace, COUNT(*) FROM messages WHERE true GROUP BY namespace
    ON CONFLICT (namespace) DO UPDATE SET message_count = excluded.message_count;
  `,
  // Messages with bare CR line endings (RFC 5321 §2.3.8 forbids them) are flagged by the
  // parse, which reads a normalised copy; the stored bytes stay as received. Rows parsed
  // before this step stay unflagged.
  `
  ALTER TABLE messages ADD COLUMN bare_cr INTEGER NOT NULL DEFAULT 0;
  `,
  // The lab world's DNS zone, per namespace (server/world/zone-store.ts); no row: the defaults.
  `
  CREATE TABLE world_zones (
    namespace  TEXT    PRIMARY KEY,
    records    TEXT    NOT NULL,                           -- JSON [{ name, type, ttl, value }], checked
    updated_at INTEGER NOT NULL                            -- ms since the epoch
  ) WITHOUT ROWID;
  `,
  // The lab world's outbound queue (server/world/outbound/): one row per (message, recipient),
  // each hop tried in journey_hops, and the lab clock's saved reading (server/world/lab-clock.ts).
  `
  CREATE TABLE outbound_queue (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    namespace       TEXT    NOT NULL,
    queue_id        TEXT    NOT NULL,                      -- the sandbox's id from its 250
    mail_from       TEXT    NOT NULL,                      -- "" for the null sender
    recipient       TEXT    NOT NULL,
    client_helo     TEXT    NOT NULL,
    client_address  TEXT    NOT NULL,
    raw             BLOB    NOT NULL,                      -- as the sandbox received it
    state           TEXT    NOT NULL,                      -- queued, in-flight, delivered, bounced, expired
    attempts        INTEGER NOT NULL DEFAULT 0,
    received_at     INTEGER NOT NULL,                      -- lab ms
    next_attempt_at INTEGER NOT NULL,                      -- lab ms
    expires_at      INTEGER NOT NULL,                      -- lab ms
    lease_until     INTEGER,                               -- real ms, while in flight
    last_reply      TEXT,                                  -- the last reply or failure, as text
    last_host       TEXT,                                  -- the host that gave it
    dsn             TEXT    NOT NULL DEFAULT 'none'        -- none, due, sent
  );
  CREATE INDEX outbound_due ON outbound_queue (state, next_attempt_at);
  CREATE INDEX outbound_by_namespace ON outbound_queue (namespace, id);

  CREATE TABLE journey_hops (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    outbound_id INTEGER NOT NULL REFERENCES outbound_queue (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,                          -- lab ms
    hop         TEXT    NOT NULL                           -- JSON: lookups, host, transcript, outcome
  );
  CREATE INDEX journey_hops_by_row ON journey_hops (outbound_id, id);

  CREATE TABLE lab_clock (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    lab_ms INTEGER NOT NULL
  );
  `,
  // Mail a lab MX delivered (server/world/lab-network): one row per recipient, its address
  // here; NULL for what the sandbox captured. GET /api/messages?mailbox= reads the index.
  `
  ALTER TABLE messages ADD COLUMN mailbox TEXT;
  CREATE INDEX messages_by_mailbox ON messages (namespace, mailbox, received_at, id) WHERE mailbox IS NOT NULL;
  `,
  // What the receiving lab MX concluded, for GET /api/messages/:id/journey (NULL for captured
  // mail). The sending hop's lab IP and HELO are remote_address and client_helo already.
  `
  ALTER TABLE messages ADD COLUMN lab_host TEXT;          -- the lab MX that delivered it
  ALTER TABLE messages ADD COLUMN outbound_id INTEGER;    -- the outbound_queue row relayed; no FK: rows outlive neither
  ALTER TABLE messages ADD COLUMN authentication TEXT;    -- JSON InboundAuthentication (protocol/world/auth-verdicts.ts)
  ALTER TABLE messages ADD COLUMN dns_lookups TEXT;       -- JSON DnsLookup[]: what the receiver asked the lab resolver
  ALTER TABLE messages ADD COLUMN disposition TEXT;       -- the DMARC disposition note (delivered, junk, not enforced)
  ALTER TABLE messages ADD COLUMN lab_received_at INTEGER; -- lab ms of the delivery (received_at is real time)
  `,
  // The lab world's host switches, per namespace (server/world/host-settings-store.ts); no row: the defaults.
  `
  CREATE TABLE world_hosts (
    namespace  TEXT    PRIMARY KEY,
    hosts      TEXT    NOT NULL,                           -- JSON [{ name, down, greylisting, rateLimitPerLabMinute, allowList, enforceDmarc }], checked
    updated_at INTEGER NOT NULL                            -- ms since the epoch
  ) WITHOUT ROWID;
  `,
  // A lab forwarder's outbound rows (protocol/world/lab-forwarding.ts): it sends from
  // its own lab IP and name, and the row it came in on is kept for the journey. NULL: the sandbox.
  `
  ALTER TABLE outbound_queue ADD COLUMN from_ip TEXT;
  ALTER TABLE outbound_queue ADD COLUMN from_helo TEXT;
  ALTER TABLE outbound_queue ADD COLUMN forwarded_from INTEGER; -- the outbound_queue row that brought it to the forwarder
  `,
  // Rows still waiting, per namespace: the sandbox counts them at each relayed RCPT (the
  // per-namespace cap) and GET /api/world/queue lists them, without reading finished rows.
  `
  CREATE INDEX outbound_waiting ON outbound_queue (namespace, next_attempt_at, id) WHERE state IN ('queued', 'in-flight');
  `,
  // The lab MX hosts' greylisting memory (server/world/greylist-store.ts), shared by every
  // process on the database so that a retry reaching another one passes too.
  `
  CREATE TABLE greylist_triplets (
    host       TEXT    NOT NULL,                           -- the lab MX that greylists
    sender_key TEXT    NOT NULL,                           -- the namespace and the client's lab IP
    sender     TEXT    NOT NULL,                           -- MAIL FROM, lower-case
    recipient  TEXT    NOT NULL,                           -- RCPT TO, lower-case
    first_seen INTEGER NOT NULL,                           -- lab ms
    PRIMARY KEY (host, sender_key, sender, recipient)
  ) WITHOUT ROWID;
  CREATE INDEX greylist_by_age ON greylist_triplets (first_seen);
  `,
  // When the lab clock's reading was saved (real ms): on a shared PostgreSQL a starting process
  // joins the running processes' lab time (server/world/lab-clock.ts); kept alike on both engines.
  `
  ALTER TABLE lab_clock ADD COLUMN real_ms INTEGER;
  `,
  // The sandbox's own greylisting memory (server/sandbox/sandbox-greylist-store.ts), shared by
  // every process: a client greylisted by one process passes when its retry reaches another.
  // Apart from greylist_triplets, whose times are the lab clock's (faster than real time).
  `
  CREATE TABLE sandbox_greylist (
    sender     TEXT    NOT NULL,                           -- MAIL FROM, lower-case
    recipient  TEXT    NOT NULL,                           -- RCPT TO, lower-case
    first_seen INTEGER NOT NULL,                           -- ms since the epoch
    PRIMARY KEY (sender, recipient)
  ) WITHOUT ROWID;
  CREATE INDEX sandbox_greylist_by_age ON sandbox_greylist (first_seen);
  `,
];

/** The schema version this code expects. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to SCHEMA_VERSION (or an older `target`, for upgrade tests), each
 * step in its own transaction.
 * Refuses a database written by a newer version rather than guess at its layout.
 */
export function migrate(db: Database, target = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `The database has schema version ${current}, newer than this SMTP Lab understands (${SCHEMA_VERSION}). ` +
        'Upgrade SMTP Lab or use another data directory.',
    );
  }
  for (let version = current; version < target; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
