/** `smtp-lab serve`: the live sandbox process (web app, API, /ws bridge, SMTP, SMTPS) until a signal. */
import { resolve } from 'node:path';
import { startApp, StartupError } from '../app/start-app.ts';
import { classroomBanner } from '../classroom/classroom-banner.ts';
import { exposureWarnings } from '../config/exposure-warnings.ts';
import { ConfigError, loadServerConfig, settingFlags, type FlagValues } from '../config/load-server-config.ts';
import type { ServerConfig } from '../config/server-config.ts';
import { CliFailure, parseCommandLine } from './cli-failure.ts';
import { SERVE_USAGE } from './serve-usage.ts';

/** Starts the live process and resolves with the exit code once a signal has stopped it. */
export async function runServeCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { ...settingFlags(), help: { type: 'boolean', default: false } });
  if (values.help) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new CliFailure(`serve takes no arguments, got ${JSON.stringify(positionals[0])}`);

  const config = configFrom(values);
  for (const warning of exposureWarnings(config)) process.stderr.write(`${warning}\n`);

  const app = await startApp(config, { log: (line) => process.stderr.write(`${line}\n`) }).catch((error: unknown) => {
    throw error instanceof StartupError ? new CliFailure(error.message) : error;
  });
  const { urls } = app;
  process.stdout.write(
    'SMTP Lab live sandbox is running (mail is captured here and moves only inside the lab internet; nothing leaves this machine)\n' +
      `  web app:   ${urls.http}\n` +
      urls.web
        .filter((url) => url !== urls.http)
        .map((url) => `             ${url}\n`)
        .join('') +
      `  console:   ${urls.ws}\n` +
      `  SMTP:      ${urls.smtp} (STARTTLS)\n` +
      (urls.smtps ? `  SMTPS:     ${urls.smtps} (implicit TLS)\n` : '') +
      `  data:      ${resolve(config.dataDir)}\n` +
      `  database:  ${app.database}\n` +
      `  TLS:       ${app.tls.origin === 'operator' ? 'your' : app.tls.origin === 'generated' ? 'new self-signed' : 'self-signed'} certificate ${app.tls.certFile}\n` +
      `             SHA-256 ${app.tls.fingerprint}\n` +
      `Try: swaks --server ${urls.smtp.slice('smtp://'.length)} --from alice@example.com --to bob@example.net  (then open bob's mail's Journey)\n` +
      (app.classroom ? classroomBanner(app.classroom) : ''),
  );

  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  // A second signal means "now": skip the graceful part.
  process.once('SIGINT', () => process.exit(0)).once('SIGTERM', () => process.exit(0));
  process.stdout.write(`${signal}: shutting down\n`);
  await app.close(`the server is shutting down (${signal})`);
  process.stdout.write(`stopped; captured mail is kept in the ${app.databaseFile === null ? 'database' : 'data directory'}\n`);
  return 0;
}

function configFrom(flags: FlagValues): ServerConfig {
  try {
    return loadServerConfig(flags, process.env);
  } catch (error) {
    throw error instanceof ConfigError ? new CliFailure(error.message) : error;
  }
}
