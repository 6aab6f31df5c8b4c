/**
 * The set-up most e2e files share: a simulator that accepts the file's keys, the built plugin
 * pointed at it and a keys data source for it, started before the file's tests and stopped after.
 */
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorCredential,
  type SimulatorOptions,
  type SeriesInfo,
} from '../../../simulator';
import { NO_FAULTS } from '../../../simulator/behaviour/faults';
import { PluginUnderTest, type DataSourceConfig } from './harness';

export interface StackOptions {
  /** The simulator's data differs per seed. */
  seed: string;
  /** The keys the simulator accepts and the data source signs with. */
  keys: SimulatorCredential;
  /** The plugin process's environment (over GF_PLUGIN_LOG_LEVEL=warn), e.g. CLOUDTRAIL_* settings. */
  env?: Record<string, string>;
  /** The rest of the simulator's scenario: quotas (real AWS rates unless set), data clock, roles, faults. */
  simulator?: Omit<SimulatorOptions, 'seed' | 'credentials'>;
  /**
   * For files that inject faults: after each test the faults are off again and the plugin must still
   * answer; after all, its log must hold no unhandled rejection or uncaught exception.
   */
  faultRecovery?: boolean;
  /** false where a file counts ListInsightsMetricData calls exactly (see REFRESHER_OFF). Default: on, as shipped. */
  refresher?: boolean;
}

/**
 * The plugin's environment that turns the background refresher off. It re-fetches every series
 * asked for in the last 2 h when its bucket ends or its 60 s freshness runs out, so in a file that
 * counts calls exactly, earlier tests' series add calls whenever such a moment falls in a test.
 */
export const REFRESHER_OFF = { CLOUDTRAIL_REFRESH_SHARE: '0' };

export interface E2EStack {
  sim: RunningSimulator;
  plugin: PluginUnderTest;
  /** Keys auth against the simulator, default region us-east-1. */
  ds: DataSourceConfig;
}

/** A data source signing with `keys` against the simulator at `url`, default region us-east-1. */
export function keysDataSource(url: string, keys: SimulatorCredential): DataSourceConfig {
  return {
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: url },
    secure: { accessKey: keys.accessKeyId, secretKey: keys.secretAccessKey },
  };
}

/**
 * Starts the stack in a beforeAll and stops it in an afterAll of the calling file. The object is
 * filled in once the beforeAll ran; hooks the file declares later run after these (so its own
 * afterAll checks, e.g. of the plugin's stderr, see the whole log, shutdown included).
 */
export function stackForFile(options: StackOptions): E2EStack {
  const stack: Partial<E2EStack> = {};
  beforeAll(async () => {
    stack.sim = await startSimulator({ ...options.simulator, seed: options.seed, credentials: [options.keys] });
    stack.plugin = await PluginUnderTest.launch({
      ...(options.refresher === false ? REFRESHER_OFF : {}),
      ...options.env,
    });
    stack.ds = keysDataSource(stack.sim.url, options.keys);
  });
  if (options.faultRecovery) {
    afterEach(async () => {
      stack.sim!.setFaults(NO_FAULTS);
      expect(await stack.plugin!.alive()).toBe(true);
    });
  }
  // Stops what started, also when the set-up failed half-way.
  afterAll(async () => {
    await stack.plugin?.stop();
    await stack.sim?.stop();
    if (options.faultRecovery) {
      expect(stack.plugin?.plugin.stderr() ?? '').not.toMatch(/unhandled promise rejection|uncaught exception/);
    }
  });
  return stack as E2EStack;
}

/** Each call, the next us-east-1 series in turn: one no earlier test fetched, so none comes from the cache. */
export function seriesInTurn(stack: E2EStack): () => SeriesInfo {
  let series: SeriesInfo[] | undefined;
  let next = 0;
  return () => {
    series ??= stack.sim.catalog('us-east-1').series;
    return series[next++ % series.length];
  };
}
