/**
 * The dashboards shipped inside the plugin (plugin.json `includes`, the data source's Dashboards
 * tab) are the provisioned ones with the data source left to the importer: every reference to the
 * provisioned uid becomes the `${DS_CLOUDTRAIL_INSIGHTS}` input Grafana fills on import.
 * `npm run dashboards` writes them; provisioning tests check they are up to date.
 */
import type { Dashboard } from './provisioningFiles';

export const DATASOURCE_INPUT = 'DS_CLOUDTRAIL_INSIGHTS';

export function pluginDashboard(
  provisioned: Dashboard,
  pluginId: string,
  provisionedUids: ReadonlyArray<string | undefined>
): Record<string, unknown> {
  let text = JSON.stringify(provisioned);
  for (const uid of provisionedUids.filter((u): u is string => Boolean(u))) {
    text = text.replaceAll(
      JSON.stringify({ type: pluginId, uid }),
      JSON.stringify({ type: pluginId, uid: `\${${DATASOURCE_INPUT}}` })
    );
  }
  return {
    __inputs: [
      {
        name: DATASOURCE_INPUT,
        label: 'CloudTrail Insights',
        description: 'The CloudTrail Insights data source the dashboard queries',
        type: 'datasource',
        pluginId,
        pluginName: 'CloudTrail Insights',
      },
    ],
    ...JSON.parse(text),
  };
}
