import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { DATASOURCE_INPUT, pluginDashboard } from './pluginDashboard';
import { REPO_DIR, dashboardFiles, dataSources } from './provisioningFiles';

/** plugin.json as Grafana reads it, with the part the Dashboards tab uses. */
const plugin = JSON.parse(readFileSync(join(REPO_DIR, 'src', 'plugin.json'), 'utf8')) as {
  id: string;
  includes?: Array<{ type: string; name: string; path: string }>;
};

describe('dashboards shipped in the plugin (plugin.json includes)', () => {
  const provisioned = dashboardFiles();
  const dashboards = (plugin.includes ?? []).filter((i) => i.type === 'dashboard');

  test('every provisioned dashboard is included, under its title, from src/ (webpack copies src/**/*.json)', () => {
    expect(dashboards.map((d) => [d.name, d.path]).sort()).toEqual(
      provisioned.map((d) => [d.content.title, `dashboards/${basename(d.path)}`]).sort()
    );
    for (const d of dashboards) {
      expect(existsSync(join(REPO_DIR, 'src', d.path))).toBe(true);
    }
  });

  test.each(provisioned.map((d) => [basename(d.path), d] as const))(
    '%s is the provisioned dashboard with the data source as an import input (run `npm run dashboards`)',
    (file, d) => {
      const shipped = JSON.parse(readFileSync(join(REPO_DIR, 'src', 'dashboards', file), 'utf8'));
      const uids = dataSources().map((s) => s.uid);
      expect(shipped).toEqual(pluginDashboard(d.content, plugin.id, uids));
      const text = JSON.stringify(shipped);
      for (const uid of uids.filter(Boolean) as string[]) {
        expect(text).not.toContain(uid);
      }
      expect(shipped.__inputs).toEqual([
        expect.objectContaining({ name: DATASOURCE_INPUT, type: 'datasource', pluginId: plugin.id }),
      ]);
      const refs = [...text.matchAll(/"datasource":\{"type":"([^"]+)","uid":"([^"]+)"\}/g)].filter(
        (m) => m[1] === plugin.id
      );
      expect(refs.length).toBeGreaterThan(0);
      expect(new Set(refs.map((m) => m[2]))).toEqual(new Set([`\${${DATASOURCE_INPUT}}`]));
    }
  );
});
