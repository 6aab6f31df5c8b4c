import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

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
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'http', 'crypto'], message: 'src/shared must not use Node APIs.' },
            { group: ['react', 'react-dom', '@grafana/*', '@emotion/*'], message: 'src/shared must not use browser libraries.' },
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'src/shared must not use the AWS SDK.' },
          ],
        },
      ],
    },
  },
]);
