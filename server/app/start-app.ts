/**
 * The composition root of the live process: storage, the SMTP listeners with capture, the
 * HTTP API and web app, and the WebSocket bridge on the same HTTP server. Nothing else builds
 * these objects; everything else receives them.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SMTPServerSession } from 'smtp-server';
import { DEFAULT_BEHAVIOURS } from '../../protocol/sandbox-config.ts';
import { DEFAULT_HOSTS, defaultWorld } from '../../protocol/world/default-world.ts';
import { attachBridge, type Bridge } from '../bridge/attach-bridge.ts';
import type { ClassroomStartInfo } from '../classroom/classroom-banner.ts';
import { ClassMail } from '../classroom/class-mail.ts';
import { createClassroom, type Classroom } from '../classroom/create-classroom.ts';
import type { EventBus } from '../events/event-bus.ts';
import { LocalEventBus } from '../events/local-event-bus.ts';
import { PostgresEventBus } from '../events/postgres-event-bus.ts';
import type { ServerConfig } from '../config/server-config.ts';
import { clientAddressResolver } from '../http/client-address.ts';
import { createHttpHandler } from '../http/create-http-handler.ts';
import { HostAllowList } from '../http/host-allow-list.ts';
import type { CapturedMessage } from '../sandbox/captured-message.ts';
import { MessageStore } from '../storage/message-store.ts';
import { dataDirWarning, ensurePrivateDir } from '../storage/private-files.ts';
import { SessionStore } from '../storage/session-store.ts';
import type { SqlDatabase } from '../storage/sql/sql-database.ts';
import { loadTlsCredentials, TlsSetupError, type TlsCredentials } from '../tls/load-tls-credentials.ts';
import { dkimPublicKeys, loadOrCreateDkimKeys } from '../world/dkim-keys.ts';
import { openLabClock } from '../world/lab-clock.ts';
import { GreylistStore } from '../world/greylist-store.ts';
import { SandboxGreylistStore } from '../sandbox/sandbox-greylist-store.ts';
import { startLabNetwork } from '../world/lab-network/start-lab-network.ts';
import { JourneyReader } from '../world/journey/journey-reader.ts';
import { inspectAtMx } from '../world/mail-auth/inspect-at-mx.ts';
import { startMailAuthPool, type MailAuthPool } from '../world/mail-auth/mail-auth-pool.ts';
import { HostSettingsStore } from '../world/host-settings-store.ts';
import { needsRelay } from '../../protocol/world/outbound-plan.ts';
import { startOutbound, type Outbound } from '../world/outbound/start-outbound.ts';
import { ZoneStore } from '../world/zone-store.ts';
import { startCaptureWriter, type CaptureWriter } from './capture-writer.ts';
import { pushMailAcrossProcesses } from './mail-pushes.ts';
import type { LiveHub } from '../classroom/live-hub.ts';
import { announceTranscripts, type TranscriptAnnouncements } from './transcript-announcements.ts';
import { openStore, StoreOpenError } from './open-store.ts';
import { buildAppUrls, type AppUrls } from './app-urls.ts';
import { bridgeSettings } from './bridge-settings.ts';
import { labTargets } from './lab-targets.ts';
import { startHttpListener, type HttpListener } from './http-listener.ts';
import { ListenError } from './listen-error.ts';
import { startSmtpListeners, type SmtpListeners } from './smtp-listeners.ts';

/** Single-user mode: everything lives in one namespace (the classroom adds one per student). */
export const DEFAULT_NAMESPACE = 'default';

/** The built web app, if `npm run build` has made it. */
const WEB_APP_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** How long busy HTTP requests and unanswered WebSocket closes may hold up a shutdown. */
const SHUTDOWN_GRACE_MS = 2000;

export interface StartAppOptions {
  /** Where one-line operational messages go (client errors, storage failures). */
  readonly log?: (line: string) => void;
  /** Modules the mail-auth worker imports first (MailAuthPoolOptions.preload; tests install their no-network guard there). */
  readonly mailAuthPreload?: readonly string[];
}

export interface RunningApp {
  readonly urls: AppUrls;
  readonly ports: { readonly http: number; readonly smtp: number; readonly smtps: number | null };
  readonly tls: Pick<TlsCredentials, 'origin' | 'certFile' | 'fingerprint'>;
  /** The SQLite file; null on PostgreSQL. */
  readonly databaseFile: string | null;
  /** Which store it runs on, as the banner says it (a password never shows). */
  readonly database: string;
  /** Classroom mode's URLs and one-time setup secret; null in single-user mode. */
  readonly classroom: ClassroomStartInfo | null;
  /**
   * Shuts down in order: WebSocket clients get a close frame with `reason`, SMTP clients
   * `421`, HTTP stops, pending captures finish, the database closes. Safe to call twice.
   */
  close(reason: string): Promise<void>;
}

/** The process could not start (a port in use, an unusable key); the message says why. */
export class StartupError extends Error {}

/** Starts everything the configuration asks for; on failure, whatever started is stopped again. */
export async function startApp(config: ServerConfig, options: StartAppOptions = {}): Promise<RunningApp> {
  const log = options.log ?? (() => undefined);
  const report = (where: string) => (error: unknown) => log(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  const cleanup: (() => Promise<void> | void)[] = [];
  const undo = async () => {
    for (const step of cleanup.reverse()) await step();
  };

  try {
    // Created 0700; one made beforehand keeps its mode, and the operator hears about it.
    ensurePrivateDir(config.dataDir);
    const openDir = dataDirWarning(resolve(config.dataDir));
    if (openDir !== null) log(openDir);
    const tls = await loadTlsCredentials({
      dataDir: config.dataDir,
      hostname: config.hostname,
      keyFile: config.tlsKeyFile,
      certFile: config.tlsCertFile,
    });
    // SQLite in the data dir, or the PostgreSQL that several processes share (--database).
    const store = await openStore({ dataDir: config.dataDir, database: config.database, onError: report('database') });
    const sql = store.sql;
    cleanup.push(() => sql.close());
    // This connection serves the API (reads, deletes); the capture worker writes with its own.
    const messages = new MessageStore(sql, { maxMessages: config.maxStoredMessages });
    // The lab world: DKIM keys made at first start, published in each namespace's default zone.
    const dkimKeys = await loadOrCreateDkimKeys(config.dataDir);
    const world = defaultWorld({ dkimPublicKeys: dkimPublicKeys(dkimKeys) });
    // DKIM signing and each MX's SPF/DKIM/DMARC check run in a worker thread, off the event loop.
    const mailAuth = startMailAuthPool({ keys: dkimKeys, log, ...(options.mailAuthPreload ? { preload: options.mailAuthPreload } : {}) });
    cleanup.push(() => mailAuth.close());
    const hostSettings = new HostSettingsStore(sql, DEFAULT_HOSTS);
    // One lab clock for the network (greylisting, Received dates) and the queue (retries,
    // expiry); it resumes from its saved reading after a restart.
    const labClock = await openLabClock(sql, config.labClockSpeed);
    cleanup.push(() => labClock.stop());
    // The names the web app answers for: the HTTP handler, the bridge and the classroom share them.
    const allowedHosts = new HostAllowList({ httpHost: config.httpHost, publicHosts: config.publicHosts });
    // Who the per-address limits count a request against: the HTTP handler and the bridge share it.
    const clientAddressOf = clientAddressResolver(config.trustedProxies);
    // Built before the bridge and the listeners, which it reads once requests arrive.
    let bridge: Bridge | null = null;
    let webUrls: readonly string[] = [];
    // How the class's changes reach its dashboards and sandbox: in memory within one process; on a
    // shared PostgreSQL, LISTEN/NOTIFY to every process (a connection of its own, classroom mode only).
    const events: EventBus =
      config.classroom && config.database !== null
        ? await PostgresEventBus.open({ url: config.database, onError: report('class events') })
        : new LocalEventBus({ onError: report('class events') });
    cleanup.push(() => events.close());
    // Zones are kept in memory where the bus reaches every process on the database (one SQLite
    // process, or a class on PostgreSQL), so a write anywhere drops every copy.
    const zones = new ZoneStore(sql, world.records, config.database === null || config.classroom ? { events } : {});
    // In a class, each written batch of lines of a student watched from another process is
    // announced: that watcher reads them from the shared table (transcript-announcements.ts).
    // The hub, made below with the classroom, knows who is watched where.
    let hub: LiveHub | null = null;
    const announcements = config.classroom
      ? announceTranscripts(events, (namespace) => hub?.watchedElsewhere(namespace) ?? false, report('transcript events'))
      : null;
    const sessions = new SessionStore(sql, { onError: report('session transcripts'), ...(announcements ? { onRecorded: announcements.onRecorded } : {}) });
    const classroom: Classroom | null = config.classroom
      ? await createClassroom({
          db: sql,
          events,
          classDomain: config.classDomain,
          maxMessageSize: config.maxMessageSize,
          allowedHosts,
          allowedOrigins: config.allowedOrigins,
          transcripts: sessions,
          sources: {
            liveSessions: (namespace) => bridge?.sessions(namespace) ?? [],
            // A transcript that cannot be read is logged; the watcher still gets the live sessions.
            recordedEvents: (namespace, id, maxEvents, maxBytes) =>
              sessions.lastEvents(namespace, id, maxEvents, maxBytes).then(
                (tail) => (tail === null ? null : { events: tail.events.map((recorded) => recorded.event), omitted: tail.omitted }),
                (error: unknown) => {
                  report('session transcripts')(error);
                  return null;
                },
              ),
            labelOf: (id) => bridge?.summaryOf(id)?.label ?? null,
          },
          webUrls: () => webUrls,
          zones,
          onError: report('classroom'),
          purgeNamespace: async (namespace) => {
            await messages.deleteAll(namespace);
            await sessions.deleteAll(namespace);
            await zones.reset(namespace);
            await hostSettings.reset(namespace);
          },
        })
      : null;
    hub = classroom?.hub ?? null;

    // Before the lab network: its MX hosts' delivered copies are parsed in the capture worker.
    const capture = startCaptureWriter({ database: store.location, maxMessages: config.maxStoredMessages, queueLifetimeMs: config.queueLifetimeMs }, log);
    cleanup.push(() => capture.close());
    // Lab mailbox copies and bounce reports are stored raw (a 250 waits for the commit) and parsed
    // in the capture worker, off the event loop; its sweep also picks up any copy a busy moment left unparsed.
    const labMailboxes = { storeRaw: messages.storeRaw.bind(messages), parseStored: async () => capture.parseStored() };
    // The lab internet's MX hosts, each a loopback listener serving its personality.
    const labNetwork = await startLabNetwork({
      hosts: DEFAULT_HOSTS,
      store: labMailboxes,
      now: () => labClock.clock.now(),
      outsideNamespace: DEFAULT_NAMESPACE,
      // Each learner's switches (down, rate limit, allow-list, greylisting, DMARC) for the host.
      switchesOf: (namespace, hostName) => hostSettings.switchesOf(namespace, hostName),
      // Mail from a domain with a null MX in the sender's zone is refused (RFC 7505 §4.2).
      zoneOf: (namespace) => zones.records(namespace),
      // Each MX checks SPF, DKIM and DMARC against the sender's namespace's zone.
      inspect: inspectAtMx({ zoneOf: (namespace) => zones.records(namespace), unreachable: world.unreachable, verify: mailAuth.verify }),
      // A forwarder's mail goes on through the outbound queue (set below, before any mail can arrive).
      forward: (entries) => outbound.forward(entries),
      // …and counts against the sender's outbound queue cap, as the sandbox's RCPT does.
      queueRefusals: (namespace) => outbound.recipientRefusals(namespace),
      // Greylisting holds across processes sharing the database.
      greylistMemory: new GreylistStore(sql),
      onError: report('lab network'),
    });
    cleanup.push(() => labNetwork.close());
    // The sending side: the outbound queue and its relay worker, running before any mail is taken.
    const outbound = startOutbound({
      db: sql,
      clock: labClock.clock,
      zones,
      hosts: DEFAULT_HOSTS,
      unreachable: world.unreachable,
      dkimKeys,
      signer: (raw, domain) => mailAuth.sign(raw, domain),
      connect: (target) => labNetwork.connect(target),
      store: labMailboxes,
      lifetimeMs: config.queueLifetimeMs,
      concurrency: config.relayConcurrency,
      maxQueued: config.maxQueued,
      log,
    });
    cleanup.push(() => outbound.stop());

    const http = await startHttpListener(
      createHttpHandler({
        messages,
        sessions,
        zones,
        hostSettings,
        journeys: new JourneyReader(sql),
        queue: outbound,
        staticDir: existsSync(join(WEB_APP_DIR, 'index.html')) ? WEB_APP_DIR : null,
        namespaceOf: () => DEFAULT_NAMESPACE,
        allowedHosts,
        clientAddressOf,
        ...(classroom ? { classroom } : {}),
        onError: report('http'),
      }),
      config.httpHost,
      config.httpPort,
      report('http client'),
    );
    cleanup.push(() => http.close(0));

    /**
     * Mail for other lab domains is queued in the sender's world in the same commit as the
     * capture, and the relay worker woken after it. Class addresses are the classroom's own.
     */
    const storeAndRelay = async (namespaces: readonly string[], message: CapturedMessage, sender: string, isClassAddress: (address: string) => boolean) => {
      const plan = await outbound.plan(sender, { ...message, rcptTo: message.rcptTo.filter((recipient) => !isClassAddress(recipient)) });
      await capture.store(namespaces, message, plan ?? undefined);
      if (plan !== null && needsRelay(plan)) outbound.wake();
    };
    let bridgeEntrancePort = 0;
    // Classroom: each message goes to its sender's namespace and to every class address's.
    const classMail =
      classroom &&
      new ClassMail({
        namespaceOfAddress: (address) => classroom.service.namespaceOfAddress(address),
        bridgeNamespaceOf: (connection) =>
          connection.localPort === bridgeEntrancePort ? (bridge?.namespaceOfLocalPort(connection.remotePort) ?? null) : null,
        store: (namespaces, message, sender) =>
          storeAndRelay(namespaces, message, sender, (address) => classroom.service.isClassAddress(address)),
      });
    const smtp = await startSmtpListeners({
      config,
      tls,
      // The 250 waits for the commit (a 250 means stored); trouble is a 451 or 421, never a lie.
      onMessage: (message, connection) =>
        classMail ? classMail.deliver(message, connection) : storeAndRelay([DEFAULT_NAMESPACE], message, DEFAULT_NAMESPACE, () => false),
      refuseTransactions: () => capture.brokenReason(),
      // The greylisting behaviour holds across processes sharing the database.
      greylist: new SandboxGreylistStore(sql),
      // The class's address check, then the sender's outbound queue cap (452 4.3.1 for a relayed recipient when full).
      checkRecipient: classMail
        ? async (recipient: string, connection: SMTPServerSession) =>
            (await classMail.recipientRefusal(recipient, connection)) ?? (await outbound.recipientRefusal(classMail.senderNamespace(connection), recipient))
        : (recipient: string) => outbound.recipientRefusal(DEFAULT_NAMESPACE, recipient),
      onError: report('smtp client'),
    });
    cleanup.push(() => smtp.close('startup failed'));
    bridgeEntrancePort = smtp.bridgeEntrance.port;
    if (classroom) {
      // The class domain is local (for a relay-refusing lesson), and the class's switches are in force again after a restart.
      smtp.setBehaviours({ localDomains: [...DEFAULT_BEHAVIOURS.localDomains, classroom.service.classDomain], ...(await classroom.service.behaviours()) });
      classroom.followBehaviours((behaviours) => smtp.setBehaviours(behaviours));
    }

    // Said once everything listens: a start that fails says only why.
    log(`lab network: ${DEFAULT_HOSTS.flatMap((host) => {
      const address = labNetwork.addressOf(host.name);
      return address ? [`${host.name} 127.0.0.1:${address.port}`] : [];
    }).join(', ')}`);
    const urls = buildAppUrls(http.address, smtp.smtp, smtp.smtps, { httpHost: config.httpHost, allowedHosts });
    webUrls = urls.web;
    const settings = bridgeSettings(config, { entrance: smtp.bridgeEntrance, publicSmtp: smtp.smtp });
    const live = attachBridge(http.server, {
      ...settings,
      // The lab MX hosts too: the learner may play the sending server (lab-targets.ts).
      extraTargets: [...(settings.extraTargets ?? []), ...labTargets(DEFAULT_HOSTS, labNetwork)],
      labNetwork,
      namespaceOf: classroom ? (req) => classroom.wsNamespaceOf(req) : () => DEFAULT_NAMESPACE,
      allowedHosts,
      clientAddressOf,
      ...(classroom ? { hooks: classroom.hub, sessionLimitKey: classroom.sessionLimitKey } : {}),
      sessions,
      onError: report('bridge'),
    });
    bridge = live;
    // New mail reaches the pages of its namespace on every process (mail-pushes.ts).
    const stopMailPushes = pushMailAcrossProcesses({ capture, events, bridge: live, messages, onError: report('mail pushes') });
    cleanup.push(stopMailPushes);

    let closing: Promise<void> | null = null;
    return {
      urls,
      ports: { http: http.address.port, smtp: smtp.smtp.port, smtps: smtp.smtps?.port ?? null },
      tls,
      databaseFile: store.file,
      database: store.description,
      classroom: (await classroom?.startInfo(urls.http)) ?? null,
      close: (reason) => (closing ??= shutDown({ reason, bridge: live, smtp, http, capture, sql, sessions, announcements, labNetwork, relay: outbound, mailAuth, labClock, classroom, events })),
    };
  } catch (error) {
    await undo();
    if (error instanceof TlsSetupError || error instanceof ListenError || error instanceof StoreOpenError) throw new StartupError(error.message);
    throw error;
  }
}

interface Running {
  readonly reason: string;
  readonly bridge: { close(reason: string): Promise<void> };
  readonly smtp: SmtpListeners;
  readonly http: HttpListener;
  readonly capture: CaptureWriter;
  readonly sql: SqlDatabase;
  readonly sessions: SessionStore;
  readonly announcements: TranscriptAnnouncements | null;
  readonly labNetwork: { close(): Promise<void> };
  readonly relay: Pick<Outbound, 'stop'>;
  readonly mailAuth: Pick<MailAuthPool, 'close'>;
  readonly labClock: { stop(): Promise<void> };
  readonly classroom: { close(): void } | null;
  readonly events: { close(): Promise<void> };
}

async function shutDown({ reason, bridge, smtp, http, capture, sql, sessions, announcements, labNetwork, relay, mailAuth, labClock, classroom, events }: Running): Promise<void> {
  await withDeadline(bridge.close(reason), SHUTDOWN_GRACE_MS);
  // The relay's attempts in flight finish (or time out) while the lab network still answers.
  await Promise.all([smtp.close(reason), http.close(SHUTDOWN_GRACE_MS), relay.stop()]);
  classroom?.close();
  // The last transcript lines are written, and announced to the other processes, before the bus closes.
  const transcriptsWritten = sessions.flush();
  await transcriptsWritten.catch(() => undefined);
  await announcements?.settled();
  await events.close();
  await Promise.all([labNetwork.close(), capture.close(), mailAuth.close()]);
  try {
    await transcriptsWritten;
    await labClock.stop();
  } finally {
    await sql.close();
  }
}

function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    work.then(done, done).finally(() => clearTimeout(timer));
  });
}
