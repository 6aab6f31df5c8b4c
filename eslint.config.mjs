import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

// Layers of backend/cloudtrail, bottom to top: core ← pacing ← {aws, coordination} ← {series, insights} ← plugin.
// Each layer lists the layers it must not import; plugin/ (the top) may import all of them.
// Every layer may import backend/sdk (the protocol layer) and src/shared.
const LAYER_ORDER = 'core ← pacing ← {aws, coordination} ← {series, insights} ← plugin';
const forbiddenLayers = {
  core: ['pacing', 'aws', 'coordination', 'series', 'insights', 'plugin'],
  pacing: ['aws', 'coordination', 'series', 'insights', 'plugin'],
  aws: ['coordination', 'series', 'insights', 'plugin'],
  coordination: ['aws', 'series', 'insights', 'plugin'],
  series: ['insights', 'plugin'],
  insights: ['series', 'plugin'],
};

// Relative specifiers reaching backend/`target` or backend/cloudtrail/`target` from one to three folders down
// (`../series/frames` from insights/…, `../../series/frames` or `../../../cloudtrail/series/frames` from
// coordination/redis/…). Anchored on `..`, they never match package subpaths such as `@smithy/core/retry`.
const relativeTo = (target) =>
  ['../', '../../', '../../../'].flatMap((up) =>
    [target, `cloudtrail/${target}`].flatMap((folder) => [`${up}${folder}`, `${up}${folder}/*`])
  );

// Grafana's base config restricts `moment`; a `no-restricted-imports` entry here replaces it, so repeat it.
const inheritedRestrictedPaths = ['moment'];

// Test files and test-only helpers may use anything (fakes, servers, the simulator).
const testOnly = ['**/*.test.ts', '**/testing/**', 'backend/cloudtrail/e2e/**'];

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/node_modules/',
      '**/coverage',
      '**/dist/',
      '**/artifacts/',
      '**/test-artifacts/',
      '**/.cache/',
      '**/gen/',
      'test/interop/**',
      '**/.eslintcache',
      'reports/**',
      '.stryker-tmp/**',
    ],
  },
  ...baseConfig,
  {
    // The scaffold lints src/ only; the Node side follows the same rules.
    files: ['backend/**/*.ts', 'simulator/**/*.ts', 'scripts/**/*.ts', 'provisioning/**/*.ts', 'test/**/*.{ts,tsx}'],
  },
  {
    // The shared module runs in the browser and in the backend: keep it free of either side's APIs.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: inheritedRestrictedPaths,
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'http', 'crypto'], message: 'src/shared must not use Node APIs.' },
            {
              group: ['react', 'react-dom', '@grafana/*', '@emotion/*'],
              message: 'src/shared must not use browser libraries.',
            },
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'src/shared must not use the AWS SDK.' },
          ],
        },
      ],
    },
  },
  // Layer direction in backend/cloudtrail (non-test source).
  ...Object.entries(forbiddenLayers).map(([layer, forbidden]) => ({
    files: [`backend/cloudtrail/${layer}/**/*.ts`],
    ignores: testOnly,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: inheritedRestrictedPaths,
          patterns: forbidden.map((target) => ({
            group: relativeTo(target),
            message: `backend/cloudtrail/${layer} must not import backend/cloudtrail/${target} (layers: ${LAYER_ORDER}).`,
          })),
        },
      ],
    },
  })),
  {
    // The protocol layer knows nothing of the CloudTrail plugin built on it.
    files: ['backend/sdk/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: inheritedRestrictedPaths,
          patterns: [{ group: relativeTo('cloudtrail'), message: 'backend/sdk must not import backend/cloudtrail.' }],
        },
      ],
    },
  },
]);
