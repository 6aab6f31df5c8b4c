import { REDACTED, createLogger, hclogTimestamp, parseLogLevel, redact, type LogLevel } from './logger';

function capture(level?: LogLevel) {
  const lines: string[] = [];
  const log = createLogger({ level, write: (line) => lines.push(line), now: () => 1_764_000_000_123_456 });
  return { log, lines, parsed: () => lines.map((line) => JSON.parse(line)) };
}

describe('logger', () => {
  it('writes one hclog JSON object per line with a six-digit @timestamp', () => {
    const { log, lines, parsed } = capture('trace');
    log.info('query finished', { refId: 'A', rows: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(parsed()[0]).toEqual({
      '@level': 'info',
      '@message': 'query finished',
      '@timestamp': '2025-11-24T16:00:00.123456Z',
      refId: 'A',
      rows: 3,
    });
    expect(parsed()[0]['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('pads microseconds to six digits', () => {
    expect(hclogTimestamp(1_000_007)).toBe('1970-01-01T00:00:01.000007Z');
    expect(hclogTimestamp(0)).toBe('1970-01-01T00:00:00.000000Z');
  });

  it('drops lines below the configured level', () => {
    const { log, parsed } = capture('warn');
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(parsed().map((line) => line['@level'])).toEqual(['warn', 'error']);
  });

  it('reads the level from GF_PLUGIN_LOG_LEVEL, then PLUGIN_LOG_LEVEL, default info', () => {
    expect(parseLogLevel('DEBUG')).toBe('debug');
    expect(parseLogLevel('warning')).toBe('warn');
    expect(parseLogLevel('verbose')).toBe('info');
    expect(parseLogLevel(undefined)).toBe('info');
    const saved = { ...process.env };
    try {
      process.env.GF_PLUGIN_LOG_LEVEL = 'error';
      const lines: string[] = [];
      const log = createLogger({ write: (line) => lines.push(line) });
      log.warn('hidden');
      log.error('shown');
      expect(lines).toHaveLength(1);
      delete process.env.GF_PLUGIN_LOG_LEVEL;
      process.env.PLUGIN_LOG_LEVEL = 'debug';
      const lines2: string[] = [];
      createLogger({ write: (line) => lines2.push(line) }).debug('shown');
      expect(lines2).toHaveLength(1);
    } finally {
      process.env = saved;
    }
  });

  it('redacts secret-looking keys at any depth', () => {
    const { log, lines } = capture('info');
    log.info('settings', {
      settings: {
        jsonData: { authType: 'keys', defaultRegion: 'us-east-1' },
        decryptedSecureJsonData: { accessKey: 'AKIAEXAMPLE', secretKey: 'wJalr' },
      },
      headers: { Authorization: 'Bearer abc', 'X-Amz-Security-Token': 'tok' },
      sessionToken: 'FQoGZXIvYXdz',
      password: 'pw',
    });
    const text = lines.join('');
    for (const secret of ['AKIAEXAMPLE', 'wJalr', 'Bearer abc', 'tok"', 'FQoGZXIvYXdz', '"pw"']) {
      expect(text).not.toContain(secret);
    }
    const entry = JSON.parse(lines[0]);
    expect(entry.settings.decryptedSecureJsonData).toBe(REDACTED);
    expect(entry.settings.jsonData).toEqual({ authType: 'keys', defaultRegion: 'us-east-1' });
    expect(entry.headers.Authorization).toBe(REDACTED);
  });

  it('turns errors into their message and keeps the reserved keys its own', () => {
    expect(redact({ error: new Error('boom') })).toEqual({ error: 'boom' });
    const { log, parsed } = capture('info');
    log.with({ component: 'data' }).error('failed', { '@message': 'spoof', error: new Error('boom') });
    expect(parsed()[0]).toMatchObject({ '@message': 'failed', '@level': 'error', component: 'data', error: 'boom' });
  });
});
