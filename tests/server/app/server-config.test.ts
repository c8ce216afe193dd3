import { describe, expect, it } from 'vitest';
import { exposureWarnings, isLoopbackHost } from '../../../server/config/exposure-warnings.ts';
import { ConfigError, loadServerConfig } from '../../../server/config/load-server-config.ts';

function configError(flags: Record<string, string | string[]>, env: Record<string, string> = {}): string {
  try {
    loadServerConfig(flags, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadServerConfig', () => {
  it('has loopback defaults and every limit', () => {
    expect(loadServerConfig({}, {})).toEqual({
      httpHost: '127.0.0.1',
      httpPort: 8025,
      smtpHost: '127.0.0.1',
      smtpPort: 2525,
      smtpsPort: null,
      dataDir: './.data',
      database: null,
      tlsKeyFile: null,
      tlsCertFile: null,
      hostname: 'sandbox.smtp-lab.test',
      allowTargets: [],
      allowedOrigins: [],
      publicHosts: [],
      trustedProxies: [],
      maxMessageSize: 10 * 1024 * 1024,
      maxRecipients: 50,
      maxLineLength: 2048,
      wsMaxPayload: 2 * 1024 * 1024,
      maxSessionsPerAddress: 20,
      commandsPerSecond: 10,
      idleTimeoutMs: 300_000,
      sessionLifetimeMs: 3_600_000,
      sessionDataBudget: 64 * 1024 * 1024,
      maxStoredMessages: 1000,
      maxSmtpClients: 2000,
      classroom: false,
      classDomain: 'class.smtp-lab.test',
      labClockSpeed: 60,
      queueLifetimeMs: 120 * 3_600_000,
      relayConcurrency: 16,
      maxQueued: 2000,
    });
  });

  it('takes a PostgreSQL URL for --database (SMTP_LAB_DATABASE) and refuses anything else without echoing it', () => {
    expect(loadServerConfig({ database: 'postgres://lab:secret@127.0.0.1:5432/smtplab' }, {}).database).toBe('postgres://lab:secret@127.0.0.1:5432/smtplab');
    expect(loadServerConfig({}, { SMTP_LAB_DATABASE: 'postgresql://db.school.lan/class' }).database).toBe('postgresql://db.school.lan/class');
    const refused = configError({ database: 'mysql://lab:hunter2@127.0.0.1/smtplab' });
    expect(refused).toBe('--database must be a PostgreSQL URL like postgres://user:password@127.0.0.1:5432/smtplab');
    expect(refused).not.toContain('hunter2');
    expect(configError({ database: 'postgres://127.0.0.1' })).toMatch(/^--database must be a PostgreSQL URL/);
  });

  it('takes --classroom as a switch, and SMTP_LAB_CLASSROOM as 1/0', () => {
    expect(loadServerConfig({ classroom: true }, {}).classroom).toBe(true);
    expect(loadServerConfig({}, { SMTP_LAB_CLASSROOM: 'yes' }).classroom).toBe(true);
    expect(loadServerConfig({}, { SMTP_LAB_CLASSROOM: '0' }).classroom).toBe(false);
    expect(configError({}, { SMTP_LAB_CLASSROOM: 'maybe' })).toBe('SMTP_LAB_CLASSROOM must be 1 or 0 (true/false, yes/no, on/off)');
    expect(configError({ 'class-domain': 'not a domain' })).toBe('--class-domain must be a host name like sandbox.smtp-lab.test');
  });

  it('takes flags over environment variables over defaults', () => {
    const config = loadServerConfig(
      { 'http-port': '9000', 'allow-target': ['mail.school.lan:25', '[::1]:2526'] },
      { SMTP_LAB_HTTP_PORT: '9100', SMTP_LAB_SMTP_PORT: '2600', SMTP_LAB_DATA: '/var/lib/lab', SMTP_LAB_ALLOWED_ORIGINS: 'http://localhost:5173, https://lab.school.lan' },
    );
    expect(config.httpPort).toBe(9000);
    expect(config.smtpPort).toBe(2600);
    expect(config.dataDir).toBe('/var/lib/lab');
    expect(config.allowTargets).toEqual([{ host: 'mail.school.lan', port: 25 }, { host: '::1', port: 2526 }]);
    expect(config.allowedOrigins).toEqual(['http://localhost:5173', 'https://lab.school.lan']);
  });

  it('takes --public-host names, repeated or comma-separated, kept as a Host header writes them', () => {
    expect(loadServerConfig({ 'public-host': ['Lab.School.LAN', '10.0.0.5', '[FE80::1]'] }, {}).publicHosts).toEqual([
      'lab.school.lan',
      '10.0.0.5',
      '[fe80::1]',
    ]);
    expect(loadServerConfig({}, { SMTP_LAB_PUBLIC_HOSTS: 'lab.school.lan, ::1' }).publicHosts).toEqual(['lab.school.lan', '[::1]']);
    expect(loadServerConfig({ 'public-host': ['flag.lan'] }, { SMTP_LAB_PUBLIC_HOSTS: 'env.lan' }).publicHosts).toEqual(['flag.lan']);
  });

  it('takes --trusted-proxy addresses, repeated or comma-separated (SMTP_LAB_TRUSTED_PROXIES), and refuses anything but an IP address', () => {
    expect(loadServerConfig({ 'trusted-proxy': ['127.0.0.1', '[FE80::1]'] }, {}).trustedProxies).toEqual(['127.0.0.1', 'fe80::1']);
    expect(loadServerConfig({}, { SMTP_LAB_TRUSTED_PROXIES: '10.0.0.5, ::1' }).trustedProxies).toEqual(['10.0.0.5', '::1']);
    expect(configError({ 'trusted-proxy': ['proxy.school.lan'] })).toBe(
      '--trusted-proxy must be the IP address the proxy connects from, like 127.0.0.1, not "proxy.school.lan"',
    );
    expect(configError({}, { SMTP_LAB_TRUSTED_PROXIES: '10.0.0.0/8' })).toMatch(/^SMTP_LAB_TRUSTED_PROXIES must be the IP address the proxy connects from/);
  });

  it.each(['lab.school.lan:8025', 'http://lab.school.lan', 'lab school', '*.school.lan', '[lab.school.lan]', 'user@lab.lan', ''])(
    'refuses %j as a --public-host name',
    (name) => {
      expect(configError({ 'public-host': [name] })).toBe(
        `--public-host must be a host name or IP address without a port, like lab.school.lan, not ${JSON.stringify(name)}`,
      );
    },
  );

  it('names SMTP_LAB_PUBLIC_HOSTS when the bad name came from it', () => {
    expect(configError({}, { SMTP_LAB_PUBLIC_HOSTS: 'ok.lan,bad:1' })).toMatch(/^SMTP_LAB_PUBLIC_HOSTS must be a host name or IP address/);
  });

  it('reads sizes and durations with units', () => {
    const config = loadServerConfig({ 'max-message-size': '512k', 'idle-timeout': '90s', 'session-lifetime': '2h', 'ws-max-payload': '65536' }, {});
    expect(config.maxMessageSize).toBe(512 * 1024);
    expect(config.idleTimeoutMs).toBe(90_000);
    expect(config.sessionLifetimeMs).toBe(7_200_000);
    expect(config.wsMaxPayload).toBe(65_536);
    expect(loadServerConfig({ 'idle-timeout': '300' }, {}).idleTimeoutMs).toBe(300_000);
  });

  it('names the flag or variable a bad value came from', () => {
    expect(configError({ 'http-port': '99999' })).toBe('--http-port must be a whole number from 0 to 65,535');
    expect(configError({}, { SMTP_LAB_SMTP_PORT: 'abc' })).toBe('SMTP_LAB_SMTP_PORT must be a whole number from 0 to 65,535');
    expect(configError({ 'idle-timeout': '5x' })).toBe('--idle-timeout must be a duration from 1s to 24h (seconds, or with ms/s/m/h)');
    expect(configError({ 'allow-target': ['mail.school.lan'] })).toMatch(/^--allow-target must be host:port/);
    expect(configError({ 'allowed-origin': ['http://x.test/path'] })).toMatch(/^--allowed-origin must be an origin/);
    expect(configError({ 'http-host': 'not a host' })).toMatch(/^--http-host must be an IP address/);
    expect(configError({ 'max-line-length': '100' })).toBe('--max-line-length must be a whole number from 512 to 1,048,576');
  });

  it('lists every problem, one per line', () => {
    expect(configError({ 'http-port': 'x', 'max-recipients': '0' }).split('\n')).toHaveLength(2);
  });

  it('checks settings that depend on each other', () => {
    expect(configError({ 'tls-key': 'key.pem' })).toBe('--tls-cert is needed too: give both --tls-key and --tls-cert, or neither');
    expect(configError({ 'smtps-port': '2525' })).toBe('--smtps-port must differ from --smtp-port');
    expect(configError({ 'http-port': '2525' })).toBe('--http-port must differ from --smtp-port on the same host');
  });
});

describe('exposure warnings', () => {
  it('recognises loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.10', 'lab.school.lan'].some(isLoopbackHost)).toBe(false);
  });

  it('warns once per listener opened beyond loopback', () => {
    expect(exposureWarnings(loadServerConfig({}, {}))).toEqual([]);
    const warnings = exposureWarnings(loadServerConfig({ 'http-host': '0.0.0.0', 'smtp-host': '0.0.0.0' }, {}));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^WARNING: the web app .* listen on 0\.0\.0\.0.*never on the open internet/);
    const classroom = exposureWarnings(loadServerConfig({ 'http-host': '0.0.0.0', classroom: true }, {}));
    expect(classroom).toHaveLength(1);
    expect(classroom[0]).toMatch(/^WARNING: the classroom listens on 0\.0\.0\.0.*unencrypted.*never on the open internet/);
  });
});
