/**
 * `npm run dashboards`: writes src/dashboards/ (shipped in the plugin zip, listed in plugin.json
 * `includes`) from provisioning/dashboards/, with the data source as an import input.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { format, resolveConfig } from 'prettier';

import { pluginDashboard } from '../provisioning/pluginDashboard';
import { dashboardFiles, dataSources, pluginJson, REPO_DIR } from '../provisioning/provisioningFiles';

async function main() {
  const outDir = join(REPO_DIR, 'src', 'dashboards');
  mkdirSync(outDir, { recursive: true });
  const uids = dataSources().map((d) => d.uid);
  for (const file of dashboardFiles()) {
    const out = join(outDir, basename(file.path));
    const json = JSON.stringify(pluginDashboard(file.content, pluginJson().id, uids));
    // Formatted as `prettier --write .` would, so lint:fix leaves the generated file alone.
    writeFileSync(out, await format(json, { ...(await resolveConfig(out)), filepath: out }));
    console.log(`wrote ${out}`);
  }
}

void main();
