// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const grafanaConfig = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

// Three projects:
// - browser: the browser bundle, in jsdom with Grafana's scaffolded setup;
// - node: everything that runs in Node (backend, simulator, shared module, scripts), needing no build output;
// - e2e: tests of what the build produced (the executables over gRPC, the zip, the compose file),
//   run by `npm run test:e2e` after `npm run build && npm run build:backend && npm run package`.
const e2eTests = ['<rootDir>/backend/cloudtrail/e2e/**/*.test.ts', '<rootDir>/**/*.e2e.test.ts'];

// Stryker's sandbox copies of the repository (during `npm run test:mutation`) are not ours to run.
const sandbox = { modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'] };

module.exports = {
  projects: [
    {
      ...grafanaConfig,
      ...sandbox,
      displayName: 'browser',
      // Some of @grafana/data's ESM-only dependencies (d3-interpolate 3.0.2) ship `.mjs` only.
      transform: { ...grafanaConfig.transform, '^.+\\.mjs$': grafanaConfig.transform['^.+\\.(t|j)sx?$'] },
      // @react-hookz/web (used by @grafana/data) its @ver0 dependencies and @grafana/plugin-ui's @marcbachmann/cel-js are ESM-only as well.
      transformIgnorePatterns: [
        nodeModulesToTransform([...grafanaESModules, '@react-hookz', '@ver0', '@marcbachmann']),
      ],
      testMatch: ['<rootDir>/src/**/*.{spec,test}.{ts,tsx}'],
      testPathIgnorePatterns: ['<rootDir>/src/shared/'],
    },
    {
      ...sandbox,
      displayName: 'node',
      testEnvironment: 'node',
      transform: grafanaConfig.transform,
      testMatch: [
        '<rootDir>/src/shared/**/*.test.ts',
        '<rootDir>/backend/**/*.test.ts',
        '<rootDir>/simulator/**/*.test.ts',
        '<rootDir>/scripts/**/*.test.ts',
        '<rootDir>/provisioning/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['/backend/cloudtrail/e2e/', '\\.e2e\\.test\\.ts$'],
    },
    {
      ...sandbox,
      displayName: 'e2e',
      testEnvironment: 'node',
      transform: grafanaConfig.transform,
      testMatch: e2eTests,
    },
  ],
};
