import { join } from 'node:path';
import { REPO_DIR, composeConfig, containerPathOnHost, environment, grafanaIni, type ComposeFile } from './composeFile';

const HA_PATH = join(REPO_DIR, 'docker-compose.ha.yaml');
const REPLICAS = ['grafana-1', 'grafana-2'];

/** The file as Compose resolves it (YAML merge keys applied). */
function resolved(): ComposeFile {
  const result = composeConfig(HA_PATH);
  if (!result.ok) {
    throw new Error(result.message);
  }
  return result.resolved;
}

describe('docker-compose.ha.yaml', () => {
  test('docker-compose config accepts it: two Grafana replicas, their database, Redis and the simulator', () => {
    expect(Object.keys(resolved().services).sort()).toEqual([...REPLICAS, 'postgres', 'redis', 'simulator']);
  });

  test('both replicas run the built plugin, share one database and point the plugin at the Redis service', () => {
    const compose = resolved();
    const envs = REPLICAS.map((name) => environment(compose, name));
    expect(envs[0]).toEqual(envs[1]);
    const env = envs[0];
    expect(env.GF_DATABASE_HOST.split(':')[0]).toBe('postgres');
    // The plugin's settings, in the grafana.ini both replicas mount ([plugin.<id>] → GF_PLUGIN_*).
    const inis = REPLICAS.map((name) => grafanaIni(compose, name));
    expect(inis[0]).toEqual(inis[1]);
    const section = inis[0]['plugin.trailwatch-cloudtrailinsights-datasource'];
    const redis = new URL(section.redis_url);
    expect(redis.protocol).toBe('redis:');
    expect(Object.keys(compose.services)).toContain(redis.hostname);
    expect(Number(section.replicas)).toBe(REPLICAS.length);
    expect(inis[0].aws.forward_settings_to_plugins.split(',').map((id) => id.trim())).toContain(
      'trailwatch-cloudtrailinsights-datasource'
    );
    // One secret for the MAC of every replicated value, the same on both replicas (one ini).
    expect(section.redis_shared_secret?.length).toBeGreaterThanOrEqual(16);
    expect(env.GF_PLUGINS_FORWARD_HOST_ENV_VARS).toContain('trailwatch-cloudtrailinsights-datasource');
    for (const name of REPLICAS) {
      expect(
        containerPathOnHost(compose, name, '/var/lib/grafana/plugins/trailwatch-cloudtrailinsights-datasource')
      ).toBe(join(REPO_DIR, 'dist'));
    }
  });
});
