/**
 * Reads the provisioning folder the way Grafana does (every *.yml/*.yaml of a kind, dashboards as JSON)
 * so tests can check the files against each other, the plugin and the query model.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const PROVISIONING_DIR = __dirname;
export const REPO_DIR = join(__dirname, '..');

export type ProvisioningKind = 'datasources' | 'dashboards' | 'alerting';

export interface YamlFile<T> {
  path: string;
  content: T;
}

export interface DataSourceEntry {
  name: string;
  uid?: string;
  type: string;
  access?: string;
  orgId?: number;
  isDefault?: boolean;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

export interface DashboardProvider {
  name: string;
  type: string;
  folder?: string;
  folderUid?: string;
  options: { path: string; foldersFromFilesStructure?: boolean };
}

export interface AlertQuery {
  refId: string;
  datasourceUid: string;
  queryType?: string;
  relativeTimeRange?: { from: number; to: number };
  model: Record<string, unknown>;
}

export interface AlertRule {
  uid: string;
  title: string;
  condition: string;
  for?: string;
  noDataState?: string;
  execErrState?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  data: AlertQuery[];
}

export interface RuleGroup {
  orgId: number;
  name: string;
  folder: string;
  interval: string;
  rules: AlertRule[];
}

export interface ProvisioningFile {
  apiVersion?: number;
  datasources?: DataSourceEntry[];
  providers?: DashboardProvider[];
  groups?: RuleGroup[];
}

/** Grafana reads files ending in .yml or .yaml (it ignores everything else in the folder). */
export function readYamlFiles(kind: ProvisioningKind): Array<YamlFile<ProvisioningFile>> {
  const dir = join(PROVISIONING_DIR, kind);
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      return { path, content: parse(readFileSync(path, 'utf8')) as ProvisioningFile };
    });
}

export function dataSources(): DataSourceEntry[] {
  return readYamlFiles('datasources').flatMap((file) => file.content.datasources ?? []);
}

export function alertRuleGroups(): RuleGroup[] {
  return readYamlFiles('alerting').flatMap((file) => file.content.groups ?? []);
}

export function dashboardFiles(): Array<YamlFile<Dashboard>> {
  const dir = join(PROVISIONING_DIR, 'dashboards');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      return { path, content: JSON.parse(readFileSync(path, 'utf8')) as Dashboard };
    });
}

export interface DataSourceRef {
  type?: string;
  uid?: string;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  repeat?: string;
  datasource?: DataSourceRef;
  targets?: Array<Record<string, unknown>>;
  transformations?: Array<{ id: string; options?: Record<string, unknown> }>;
  panels?: Panel[];
}

export interface Variable {
  name: string;
  type: string;
  datasource?: DataSourceRef;
  query?: unknown;
  current?: { value: string | string[] };
  multi?: boolean;
}

export interface Dashboard {
  uid: string;
  title: string;
  annotations?: {
    list: Array<{ name: string; builtIn?: number; datasource?: DataSourceRef; target?: Record<string, unknown> }>;
  };
  templating?: { list: Variable[] };
  panels: Panel[];
}

/** Every panel, including those nested in collapsed rows. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** The plugin's own description, so tests compare against the id Grafana will load. */
export function pluginJson(): { id: string; executable?: string; backend?: boolean; alerting?: boolean } {
  return JSON.parse(readFileSync(join(REPO_DIR, 'src', 'plugin.json'), 'utf8'));
}
