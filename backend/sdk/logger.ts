/**
 * Structured logging to stderr in the hclog JSON form that go-plugin (and so Grafana) parses:
 * one JSON object per line with `@level`, `@message`, `@timestamp` (exactly six fractional
 * digits, else the host treats the line as raw text) and further keys as key/value pairs.
 *
 * Level: env `GF_PLUGIN_LOG_LEVEL`, else `PLUGIN_LOG_LEVEL`, else `info`
 * (one of trace|debug|info|warn|error). Values under secret-looking keys are replaced by
 * `[REDACTED]` at any depth, so a settings object can be logged without leaking credentials.
 */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  with(fields: LogFields): Logger;
}

const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];
const SECRET_KEY =
  /secret|securejson|password|passwd|token|authorization|accesskey|apikey|api_key|privatekey|credential|cookie/i;
export const REDACTED = '[REDACTED]';

export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  const normalised = (value ?? '').trim().toLowerCase();
  if (normalised === 'warning') {
    return 'warn';
  }
  return (LEVELS as string[]).includes(normalised) ? (normalised as LogLevel) : fallback;
}

/** `2006-01-02T15:04:05.000000Z` — microseconds, always six digits, UTC. */
export function hclogTimestamp(epochMicros: number): string {
  const millis = Math.floor(epochMicros / 1000);
  const micros = Math.floor(epochMicros % 1000);
  const iso = new Date(millis).toISOString(); // 2006-01-02T15:04:05.000Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** Copies `value`, replacing secret-looking keys and turning Errors into plain text. */
export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Error) {
    return value.message;
  }
  if (value === null || typeof value !== 'object' || depth > 8) {
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => redact(item, depth + 1));
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (value instanceof Uint8Array) {
    return `<${value.byteLength} bytes>`;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redact(inner, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  level?: LogLevel;
  write?: (line: string) => void;
  now?: () => number;
  fields?: LogFields;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const minimum = LEVELS.indexOf(
    options.level ?? parseLogLevel(process.env.GF_PLUGIN_LOG_LEVEL ?? process.env.PLUGIN_LOG_LEVEL)
  );
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? nowMicros;
  const base = options.fields ?? {};

  const log = (level: LogLevel, message: string, fields?: LogFields) => {
    if (LEVELS.indexOf(level) < minimum) {
      return;
    }
    const pairs = redact({ ...base, ...fields }) as LogFields;
    const entry = { ...pairs, '@level': level, '@message': message, '@timestamp': hclogTimestamp(now()) };
    try {
      write(JSON.stringify(entry) + '\n');
    } catch {
      // A closed stderr must never take the plugin down.
    }
  };

  return {
    trace: (message, fields) => log('trace', message, fields),
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    with: (fields) => createLogger({ ...options, level: LEVELS[minimum], fields: { ...base, ...fields } }),
  };
}

/** The process-wide logger. */
export const logger: Logger = createLogger();
