// `npm run simulator -- --port 4599 --seed demo [--host 0.0.0.0] [fault flags]`. Faults may also come
// from SIM_* environment variables (flags win). Prints the URL when ready; SIGTERM/SIGINT stop it.
import { parseArgs } from 'node:util';
import { startSimulator } from './index';
import type { Faults, FaultTrigger, SimulatorCredential, SimulatorOrganization } from './types';

const HELP = `CloudTrail simulator
  --port <n>               (default 4599, SIM_PORT)          --host <addr>   (default 127.0.0.1, SIM_HOST)
  --seed <s>               (default demo, SIM_SEED)          --no-quotas     disable throttling (SIM_NO_QUOTAS=1)
  --credentials <k:s[:acct],...>  verify SigV4 with these keys (SIM_CREDENTIALS)
  --server-error-rate <p>  (SIM_SERVER_ERROR_RATE)           --reset-rate <p>      (SIM_RESET_RATE)
  --malformed-rate <p>     (SIM_MALFORMED_RATE)              --slow-ms <n>         (SIM_SLOW_MS)
  --endless-next-token     (SIM_ENDLESS_NEXT_TOKEN=1)        --insights-disabled   (SIM_INSIGHTS_DISABLED=1)
  --bad-credentials        (SIM_BAD_CREDENTIALS=1)           --throttle-all        (SIM_THROTTLE_ALL=1)
  --access-denied <all|Op,...>  deny these operations as IAM does, e.g. DescribeTrails,AssumeRole (SIM_ACCESS_DENIED)
  --corrupt-page <kind>    nullValue|nanString|infinityString|offGridTimestamp|conflictingDuplicate|valuesNotList|oversized (SIM_CORRUPT_PAGE)
  --html-error-rate <p>    a proxy answers HTTP 502 text/html (SIM_HTML_ERROR_RATE)
  --organization <mgmt:member,...[/admin,...]>  accounts in one organization: its management account, member
                           accounts, and after "/" delegated administrators (SIM_ORGANIZATION)
  --quiet                  no per-request log lines
Runtime control: GET /__simulator/calls, POST /__simulator/reset, GET|POST /__simulator/faults`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    credentials: { type: 'string' },
    'no-quotas': { type: 'boolean' },
    'server-error-rate': { type: 'string' },
    'reset-rate': { type: 'string' },
    'malformed-rate': { type: 'string' },
    'slow-ms': { type: 'string' },
    'endless-next-token': { type: 'boolean' },
    'insights-disabled': { type: 'boolean' },
    'bad-credentials': { type: 'boolean' },
    'throttle-all': { type: 'boolean' },
    'access-denied': { type: 'string' },
    'corrupt-page': { type: 'string' },
    'html-error-rate': { type: 'string' },
    organization: { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const env = process.env;
const flag = (name: keyof typeof values, envName: string) =>
  Boolean(values[name]) || env[envName] === '1' || env[envName] === 'true';
const text = (name: keyof typeof values, envName: string) => (values[name] as string | undefined) ?? env[envName];

function number(name: keyof typeof values, envName: string): number | undefined {
  const raw = text(name, envName);
  if (raw === undefined || raw === '') {
    return undefined;
  }
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    throw new Error(`--${String(name)} / ${envName} must be a number, got '${raw}'`);
  }
  return n;
}

function rate(name: keyof typeof values, envName: string): FaultTrigger {
  const p = number(name, envName);
  return p === undefined || p === 0 ? false : { rate: p };
}

/** 'all' (or 1/true) denies every operation; otherwise a comma-separated list of operation names. */
function denied(raw: string | undefined): FaultTrigger {
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') {
    return false;
  }
  if (raw === 'all' || raw === '1' || raw === 'true') {
    return true;
  }
  return { operations: raw.split(',').map((op) => op.trim()) };
}

function credentials(raw: string | undefined): SimulatorCredential[] | undefined {
  if (!raw) {
    return undefined;
  }
  return raw.split(',').map((entry) => {
    const [accessKeyId, secretAccessKey, accountId] = entry.split(':');
    if (!accessKeyId || !secretAccessKey) {
      throw new Error(`credentials entry must be key:secret[:account], got '${entry}'`);
    }
    return { accessKeyId, secretAccessKey, ...(accountId ? { accountId } : {}) };
  });
}

/** `management:member,member[/admin,admin]`, e.g. 111111111111:222222222222,333333333333/333333333333. */
function organization(raw: string | undefined): SimulatorOrganization | undefined {
  if (!raw) {
    return undefined;
  }
  const match = /^(\d{12}):([\d,]*)(?:\/([\d,]*))?$/.exec(raw);
  if (!match) {
    throw new Error(`organization must be management:member,...[/admin,...] (12-digit account ids), got '${raw}'`);
  }
  const ids = (list: string | undefined) => (list ?? '').split(',').filter(Boolean);
  return {
    managementAccountId: match[1],
    memberAccountIds: ids(match[2]),
    delegatedAdministratorAccountIds: ids(match[3]),
  };
}

async function main(): Promise<void> {
  const faults: Partial<Faults> = {
    serverError: rate('server-error-rate', 'SIM_SERVER_ERROR_RATE'),
    resetConnection: rate('reset-rate', 'SIM_RESET_RATE'),
    malformedBody: rate('malformed-rate', 'SIM_MALFORMED_RATE'),
    slowMs: number('slow-ms', 'SIM_SLOW_MS') ?? 0,
    endlessNextToken: flag('endless-next-token', 'SIM_ENDLESS_NEXT_TOKEN'),
    insightsDisabled: flag('insights-disabled', 'SIM_INSIGHTS_DISABLED'),
    badCredentials: flag('bad-credentials', 'SIM_BAD_CREDENTIALS'),
    throttleAll: flag('throttle-all', 'SIM_THROTTLE_ALL'),
    accessDenied: denied(text('access-denied', 'SIM_ACCESS_DENIED')),
    // Checked against the known kinds when the simulator starts.
    corruptPage: (text('corrupt-page', 'SIM_CORRUPT_PAGE') || false) as Faults['corruptPage'],
    htmlError: rate('html-error-rate', 'SIM_HTML_ERROR_RATE'),
  };
  const quiet = flag('quiet', 'SIM_QUIET');
  const sim = await startSimulator({
    port: number('port', 'SIM_PORT') ?? 4599,
    host: text('host', 'SIM_HOST') ?? '127.0.0.1',
    seed: text('seed', 'SIM_SEED') ?? 'demo',
    credentials: credentials(text('credentials', 'SIM_CREDENTIALS')),
    quotas: !flag('no-quotas', 'SIM_NO_QUOTAS'),
    organization: organization(text('organization', 'SIM_ORGANIZATION')),
    faults,
    log: quiet ? undefined : (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  console.log(`CloudTrail simulator listening on ${sim.url}`);
  const stop = () => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1)
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e: Error) => {
  console.error(`simulator: ${e.message}`);
  process.exit(1);
});
