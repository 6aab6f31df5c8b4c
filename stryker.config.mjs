// Mutation testing of the core logic (Stryker, jest runner, per-test coverage): `npm run test:mutation`.
// MUTATION_AREA picks what is mutated: `shared` (src/shared), `backend` (the core of backend/cloudtrail
// and backend/sdk) or `all` (both, the default). Each area keeps its own incremental file and reports
// under reports/mutation/<area>/, so a re-run after a small change only tests the mutants it touched.
// @ts-check

const AREAS = {
  shared: ['src/shared/**/*.ts', '!src/shared/**/*.test.ts'],
  backend: [
    'backend/cloudtrail/{rateLimiter,seriesCache,retry,seriesSource,seriesFetcher,queryRunner,settings,credentials,keys}.ts',
    'backend/sdk/{arrowEncoder,requestMapping,responseMapping}.ts',
  ],
};
const area = process.env.MUTATION_AREA ?? 'all';
const mutate = area === 'all' ? [...AREAS.shared, ...AREAS.backend] : AREAS[area];
if (!mutate) {
  throw new Error(`MUTATION_AREA must be one of all, ${Object.keys(AREAS).join(', ')}; got "${area}"`);
}
const reports = `reports/mutation/${area}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'mutation/jest.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  mutate,
  incremental: true,
  incrementalFile: `${reports}/incremental.json`,
  reporters: ['clear-text', 'html', 'json', 'progress-append-only'],
  htmlReporter: { fileName: `${reports}/mutation.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  clearTextReporter: { allowColor: false, reportScoreTable: true, reportMutants: false, reportTests: false },
  tempDirName: '.stryker-tmp',
  concurrency: 2,
  timeoutMS: 10_000,
  thresholds: { high: 92, low: 90, break: null },
};
