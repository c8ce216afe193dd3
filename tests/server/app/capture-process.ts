/**
 * The capture path alone in a process of its own, for tests that kill it: the sandbox's SMTP
 * listeners storing through the capture worker into the database in CAPTURE_DATABASE (a SQLite
 * file or a PostgreSQL URL). Prints `SMTP <port>` once it listens, then runs until killed.
 */
import { startCaptureWriter } from '../../../server/app/capture-writer.ts';
import { startSmtpListeners } from '../../../server/app/smtp-listeners.ts';
import { loadTlsCredentials } from '../../../server/tls/load-tls-credentials.ts';
import { testConfig } from './app-config.ts';

const database = process.env.CAPTURE_DATABASE;
if (database === undefined) throw new Error('CAPTURE_DATABASE is not set');
const config = testConfig();
// Room for every message of the burst: nothing acknowledged may be evicted before it is counted.
const capture = startCaptureWriter({ database, maxMessages: 100_000 }, (line) => process.stderr.write(`${line}\n`));
const tls = await loadTlsCredentials({ dataDir: config.dataDir, hostname: config.hostname, keyFile: null, certFile: null });
const smtp = await startSmtpListeners({
  config,
  tls,
  onMessage: (message) => capture.store(['default'], message),
  refuseTransactions: () => capture.brokenReason(),
  onError: (error) => process.stderr.write(`${error.message}\n`),
});
process.stdout.write(`SMTP ${smtp.smtp.port}\n`);
