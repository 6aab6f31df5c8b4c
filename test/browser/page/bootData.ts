/**
 * Grafana's boot data, set before @grafana/runtime reads it at load time (import this module
 * first). Only what the editors read: the AWS auth policy ConnectionConfig shows, and the theme.
 */
const bootWindow = window as unknown as { grafanaBootData: unknown };

bootWindow.grafanaBootData = {
  assets: { dark: '', light: '' },
  settings: {
    awsAllowedAuthProviders: ['default', 'keys', 'credentials'],
    awsAssumeRoleEnabled: true,
    featureToggles: {},
    buildInfo: { version: '13.2.2', commit: 'browser-test', env: 'production' },
  },
  user: { theme: 'dark' },
  navTree: [],
};

export {};
