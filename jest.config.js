// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const grafanaConfig = require('./.config/jest.config');

// Two projects: the browser bundle runs in jsdom with Grafana's scaffolded setup;
// everything that runs in Node (backend, simulator, shared module, scripts) runs in plain node.
module.exports = {
  projects: [
    {
      ...grafanaConfig,
      displayName: 'browser',
      testMatch: ['<rootDir>/src/**/*.{spec,test}.{ts,tsx}'],
      testPathIgnorePatterns: ['<rootDir>/src/shared/'],
    },
    {
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
    },
  ],
};
