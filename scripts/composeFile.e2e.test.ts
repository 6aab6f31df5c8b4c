import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

import { dataSources } from '../provisioning/provisioningFiles';
import {
  REPO_DIR,
  bindMounts,
  composeConfig,
  composeFile,
  containerPathOnHost,
  environment,
  grafanaIni,
} from './composeFile';

const plugin = JSON.parse(readFileSync(join(REPO_DIR, 'src', 'plugin.json'), 'utf8'));
const scripts: Record<string, string> = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')).scripts;

describe('docker-compose.yaml', () => {
  test('docker-compose config accepts it', () => {
    const result = composeConfig();
    if (!result.ok) {
      throw new Error(result.message);
    }
    expect(Object.keys(result.resolved.services).sort()).toEqual(['grafana', 'simulator']);
  });

  test('runs a pinned default (Alpine) Grafana image that the plugin supports', () => {
    const image = composeFile().services.grafana.image ?? '';
    const match = /^grafana\/grafana:\$\{GRAFANA_VERSION:-(\d+\.\d+\.\d+)\}$/.exec(image);
    expect(match).not.toBeNull();
    expect(semver.satisfies(match![1], plugin.dependencies.grafanaDependency)).toBe(true);
  });

  test('mounts the built plugin under its id and the provisioning folder, and allows it unsigned', () => {
    const compose = composeFile();
    expect(containerPathOnHost(compose, 'grafana', `/var/lib/grafana/plugins/${plugin.id}`)).toBe(
      join(REPO_DIR, 'dist')
    );
    expect(containerPathOnHost(compose, 'grafana', '/etc/grafana/provisioning')).toBe(join(REPO_DIR, 'provisioning'));
    const env = environment(compose, 'grafana');
    expect(env.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',')).toContain(plugin.id);
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe('true');
    expect(env.GF_PLUGINS_FORWARD_HOST_ENV_VARS.split(',')).toContain(plugin.id);
  });

  test("grafana.ini forwards Grafana's [aws] policy to the plugin and sets the plugin's own section", () => {
    const ini = grafanaIni(composeFile(), 'grafana');
    const forwarded = ini.aws.forward_settings_to_plugins.split(',').map((id) => id.trim());
    // The plugin, and Grafana's own AWS plugins still listed.
    expect(forwarded).toEqual(expect.arrayContaining([plugin.id, 'cloudwatch', 'grafana-athena-datasource']));
    expect(ini.aws.allowed_auth_providers).toBe('default,keys,credentials');
    expect(ini.aws.session_duration).toBe('15m');
    expect(ini[`plugin.${plugin.id}`]).toMatchObject({ max_queries_per_request: '100', refresh_share: '50' });
  });

  test("the provisioned data source endpoint is the simulator service's port", () => {
    const compose = composeFile();
    const endpoint = new URL(
      String(dataSources().find((d) => d.uid === 'cloudtrail-insights-sim')?.jsonData?.endpoint)
    );
    expect(Object.keys(compose.services)).toContain(endpoint.hostname);
    const command = compose.services[endpoint.hostname].command as string[];
    expect(command[command.indexOf('--port') + 1]).toBe(endpoint.port);
    expect(command[command.indexOf('--host') + 1]).toBe('0.0.0.0');
  });

  test('the simulator service runs the bundle that npm run build:simulator writes', () => {
    const compose = composeFile();
    const command = compose.services.simulator.command as string[];
    const bundleInContainer = command.find((arg) => arg.endsWith('.cjs') || arg.endsWith('.mjs'))!;
    const outfile = /--outfile=(\S+)/.exec(scripts['build:simulator'])![1];
    expect(containerPathOnHost(compose, 'simulator', bundleInContainer)).toBe(join(REPO_DIR, outfile));
    expect(bindMounts(compose, 'simulator').every((m) => !m.host.includes('node_modules'))).toBe(true);
  });
});
