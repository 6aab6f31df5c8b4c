// Mutation testing of the core logic (Stryker, jest runner, per-test coverage). MUTATION_AREA picks
// what is mutated, each area with the tests beside its files (mutation/jest.config.js):
// - `shared`: src/shared;
// - `core`: the limiter, series cache and retry of backend/cloudtrail;
// - `backend`: the whole backend core (core + series source and fetcher, query runner, settings,
//   credentials, keys; backend/sdk's Arrow encoder and request/response mapping). Too slow for CI
//   (the series source's tests run real 1 TPS pacing against the simulator for each mutant).
// `npm run test:mutation` (in test:all and CI) runs shared then core; `npm run test:mutation:backend`
// runs the whole backend. Each area keeps its own incremental file and reports under
// reports/mutation/<area>/ (gitignored).
//
// thresholds.break: the scores reached on main when CI started running this, less ~1.5 points so
// a legitimate small change elsewhere does not break CI; raise them as the scores rise.
//
// Mutants judged equivalent (left counted as survivors, so scores are a lower bound):
// - duration.ts `abs >= 2 * DAY_MS` → `>`: at exactly 2 days the branch above (whole days) answers.
// - duration.ts isoMinute regex without `$`: an ISO string has one `:ss.mmmZ`, at its end.
// - labels.ts `/\.amazonaws\.com$/` without `$` and `/^API /` without `^`: validated event sources
//   contain ".amazonaws.com" once, at the end; both insight type labels start with "API " and
//   contain it once.
// - mergePages.ts `startTimeMs !== undefined` / `endTimeMs !== undefined` → true: the fill loop's
//   `t < endTimeMs` is false for an undefined bound either way.
// - validation.ts `typeof value === 'string'` → true (template variables): hasTemplateVariable
//   answers false for non-strings anyway.
// - queryModel.ts isInsightType/isDataType/isPeriodSeconds `typeof` checks → true: includes()
//   is false for a value of the other type anyway.
// @ts-check

const AREAS = {
  shared: ['src/shared/**/*.ts', '!src/shared/**/*.test.ts'],
  core: ['backend/cloudtrail/{rateLimiter,seriesCache,retry}.ts'],
  backend: [
    'backend/cloudtrail/{rateLimiter,seriesCache,retry,seriesSource,seriesFetcher,queryRunner,settings,credentials,keys}.ts',
    'backend/sdk/{arrowEncoder,requestMapping,responseMapping}.ts',
  ],
};
/** Scores on main 2026-12-01: shared 95.17, core 81.28 (backend: not enforced, not run in CI). */
const BREAK = { shared: 93, core: 79, backend: null };
const area = process.env.MUTATION_AREA ?? 'shared';
const mutate = AREAS[area];
if (!mutate) {
  throw new Error(`MUTATION_AREA must be one of ${Object.keys(AREAS).join(', ')}; got "${area}"`);
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
  thresholds: { high: 92, low: 90, break: BREAK[area] },
};
