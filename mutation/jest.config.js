// The jest project Stryker runs (see stryker.config.mjs): the repository's `node` project, narrowed to
// the tests beside the files under mutation. Simulator-backed ones talk real HTTP, as in `npm test`.
const { projects } = require('../jest.config');

const node = projects.find((p) => p.displayName === 'node');

const TESTS = {
  shared: ['<rootDir>/src/shared/**/*.test.ts'],
  core: ['<rootDir>/backend/cloudtrail/{rateLimiter,seriesCache,retry}.test.ts'],
  backend: [
    '<rootDir>/backend/cloudtrail/{rateLimiter,seriesCache,retry,seriesSource,seriesFetcher,queryRunner,settings,credentials,keys}.test.ts',
    '<rootDir>/backend/sdk/{arrowEncoder,requestMapping,responseMapping}.test.ts',
  ],
};
const area = process.env.MUTATION_AREA ?? 'shared';

module.exports = {
  ...node,
  rootDir: '..',
  displayName: `mutation-${area}`,
  testMatch: TESTS[area],
};
