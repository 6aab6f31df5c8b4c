// The jest project Stryker runs (see stryker.config.mjs): the repository's `node` project, narrowed to
// the tests beside the files under mutation. Simulator-backed ones talk real HTTP, as in `npm test`.
const { projects } = require('../jest.config');

const node = projects.find((p) => p.displayName === 'node');

const TESTS = {
  shared: ['<rootDir>/src/shared/**/*.test.ts'],
  core: [
    '<rootDir>/backend/cloudtrail/pacing/rateLimiter.test.ts',
    '<rootDir>/backend/cloudtrail/series/seriesCache.test.ts',
    '<rootDir>/backend/cloudtrail/aws/retry.test.ts',
  ],
  // The series source, fetcher and query runner by their fast unit tests (ManualGate pacing, an
  // in-process simulator without quotas). seriesSource.test.ts is left out: it paces real 1 TPS
  // seconds against the simulator's quota for every mutant (it still runs in `npm test`).
  backend: [
    '<rootDir>/backend/cloudtrail/pacing/rateLimiter.test.ts',
    '<rootDir>/backend/cloudtrail/series/seriesCache.test.ts',
    '<rootDir>/backend/cloudtrail/aws/{retry,settings,credentials}.test.ts',
    '<rootDir>/backend/cloudtrail/core/keys.test.ts',
    '<rootDir>/backend/cloudtrail/series/{seriesSource,seriesFetcher,queryRunner}.unit.test.ts',
    '<rootDir>/backend/sdk/{arrowEncoder,nanoseconds,requestMapping,responseMapping}.test.ts',
    '<rootDir>/backend/cloudtrail/coordination/redis/insightListCodec.test.ts',
    '<rootDir>/backend/cloudtrail/insights/replicatedInsightLists.test.ts',
  ],
};
const area = process.env.MUTATION_AREA ?? 'shared';

module.exports = {
  ...node,
  rootDir: '..',
  displayName: `mutation-${area}`,
  testMatch: TESTS[area],
};
