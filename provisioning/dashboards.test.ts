import { join } from 'node:path';

import {
  CALL_RATE_TEMPLATES,
  DATA_CALL_RATE_TEMPLATES,
  DATA_ERROR_RATE_TEMPLATES,
  ERROR_RATE_TEMPLATES,
} from '../simulator/data/templates';
import { startSimulator } from '../simulator';
import { VARIABLE_KINDS } from '../src/types';
import { composeFile, containerPathOnHost } from '../scripts/composeFile';
import {
  DataSourceRef,
  Dashboard,
  PROVISIONING_DIR,
  alertRuleGroups,
  allPanels,
  dashboardFiles,
  dataSources,
  pluginJson,
  readYamlFiles,
} from './provisioningFiles';
import { NO_PROBLEMS, queryProblems } from './queryFields';

// The variable query model (src/shared/variableQuery.ts): a list's kind and its filters.
const VARIABLE_QUERY_FIELDS = ['refId', 'kind', 'region', 'eventCategory', 'trailName', 'eventSource', 'eventName'];

/** Every data source reference in a dashboard, with where it was found. */
function dataSourceRefs(dashboard: Dashboard): Array<{ where: string; ref: DataSourceRef | undefined }> {
  const refs: Array<{ where: string; ref: DataSourceRef | undefined }> = [];
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (!annotation.builtIn) {
      refs.push({ where: `annotation ${annotation.name}`, ref: annotation.datasource });
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type === 'query') {
      refs.push({ where: `variable ${variable.name}`, ref: variable.datasource });
    }
  }
  for (const panel of allPanels(dashboard).filter((p) => p.type !== 'row')) {
    refs.push({ where: `panel ${panel.title}`, ref: panel.datasource });
    for (const target of panel.targets ?? []) {
      refs.push({ where: `panel ${panel.title} query ${target.refId}`, ref: target.datasource as DataSourceRef });
    }
  }
  return refs;
}

/** Every query of ours in a dashboard: panel targets and annotation targets. */
function savedQueries(dashboard: Dashboard): Array<Record<string, unknown>> {
  return [
    ...allPanels(dashboard).flatMap((panel) => panel.targets ?? []),
    ...(dashboard.annotations?.list ?? []).flatMap((a) => (a.target ? [a.target] : [])),
  ];
}

/** Names used as $name or ${name…} anywhere in a JSON text. */
function referencedVariableNames(json: string): string[] {
  return [...new Set([...json.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];
}

describe('provisioned dashboards', () => {
  const dashboards = dashboardFiles();
  const uids = new Set(dataSources().map((d) => d.uid));

  test('the provider file loads this folder as Grafana sees it through docker-compose.yaml', () => {
    const providers = readYamlFiles('dashboards').flatMap((file) => {
      expect(file.content.apiVersion).toBe(1);
      return file.content.providers ?? [];
    });
    expect(providers.length).toBe(1);
    expect(providers[0]).toMatchObject({ type: 'file', folder: 'CloudTrail Insights' });
    // Alert rules and dashboards share the folder, which both provisioners look up by title.
    expect(providers[0].folderUid).toBeUndefined();
    expect(new Set(alertRuleGroups().map((g) => g.folder))).toEqual(new Set([providers[0].folder]));
    expect(containerPathOnHost(composeFile(), 'grafana', providers[0].options.path)).toBe(
      join(PROVISIONING_DIR, 'dashboards')
    );
  });

  test('dashboards have unique uids and the API activity dashboard exists', () => {
    expect(new Set(dashboards.map((d) => d.content.uid)).size).toBe(dashboards.length);
    expect(dashboards.map((d) => d.content.title)).toContain('AWS API activity (CloudTrail Insights)');
  });

  test.each(dashboards.map((d) => [d.content.title, d.content] as const))(
    '%s references only the provisioned data source',
    (_, dashboard) => {
      const { id } = pluginJson();
      for (const { where, ref } of dataSourceRefs(dashboard)) {
        expect({ where, type: ref?.type, known: uids.has(ref?.uid) }).toEqual({ where, type: id, known: true });
      }
    }
  );

  test.each(dashboards.map((d) => [d.content.title, d.content] as const))(
    '%s queries use only query model fields and validate',
    (_, dashboard) => {
      const queries = savedQueries(dashboard);
      expect(queries.length).toBeGreaterThan(0);
      for (const query of queries) {
        expect({ refId: query.refId, ...queryProblems(query, { allowTemplateVariables: true }) }).toEqual({
          refId: query.refId,
          ...NO_PROBLEMS,
        });
      }
    }
  );

  test.each(dashboards.map((d) => [d.content.title, d.content] as const))(
    '%s variables are plugin variable queries and every $variable used is defined',
    (_, dashboard) => {
      const variables = dashboard.templating?.list ?? [];
      for (const variable of variables.filter((v) => v.type === 'query')) {
        const query = variable.query as Record<string, unknown>;
        expect(VARIABLE_KINDS).toContain(query.kind);
        expect(Object.keys(query).filter((key) => !VARIABLE_QUERY_FIELDS.includes(key))).toEqual([]);
      }
      const defined = variables.map((v) => v.name);
      const { templating, ...rest } = dashboard;
      const used = [
        ...referencedVariableNames(JSON.stringify(rest)),
        ...variables.flatMap((v) => referencedVariableNames(JSON.stringify(v.query ?? ''))),
      ];
      expect(used.filter((name) => !defined.includes(name))).toEqual([]);
      expect(templating).toBeDefined();
    }
  );

  describe('AWS API activity dashboard', () => {
    const dashboard = dashboards.find((d) => d.content.uid === 'cloudtrail-insights-api-activity')!.content;
    const variables = Object.fromEntries((dashboard.templating?.list ?? []).map((v) => [v.name, v]));
    const targets = allPanels(dashboard).flatMap((p) => p.targets ?? []);

    test('has region, event source, event name and error code variables', () => {
      expect(Object.keys(variables)).toEqual(
        expect.arrayContaining(['region', 'eventSource', 'eventName', 'errorCode'])
      );
      expect((variables.region.query as { kind: string }).kind).toBe('regions');
      expect((variables.eventSource.query as { kind: string }).kind).toBe('eventSources');
      expect((variables.eventName.query as { kind: string }).kind).toBe('eventNames');
      expect((variables.errorCode.query as { kind: string }).kind).toBe('errorCodes');
    });

    test('has call-rate and error-rate panels repeated by event name', () => {
      expect(targets.map((t) => t.insightType)).toEqual(
        expect.arrayContaining(['ApiCallRateInsight', 'ApiErrorRateInsight'])
      );
      const repeated = dashboard.panels.filter((p) => p.repeat === 'eventName');
      expect(repeated.length).toBeGreaterThan(0);
      expect(variables.eventName.multi).toBe(true);
      // The management events' metrics repeat per event name; the data-event row has its own variables.
      const metrics = targets.filter((t) => t.queryType === 'metrics' && t.eventCategory === undefined);
      expect(metrics.length).toBeGreaterThan(0);
      expect(metrics.every((t) => t.eventName === '$eventName')).toBe(true);
    });

    test('opens with an Insights overview: ongoing (stat), top event names, recent events (table)', () => {
      const [row, ...rest] = dashboard.panels;
      expect(row).toMatchObject({ type: 'row', gridPos: { y: 0 } });
      const overview = rest.slice(
        0,
        rest.findIndex((p) => p.type === 'row')
      );
      const byTitle = Object.fromEntries(overview.map((p) => [p.title, p]));
      expect(Object.keys(byTitle).sort()).toEqual(
        ['Ongoing Insights', 'Recent Insights events', 'Top event names by Insights count'].sort()
      );
      for (const panel of overview) {
        // Region-wide: the overview does not narrow by the row variables.
        expect(panel.targets).toEqual([
          expect.objectContaining({ queryType: 'events', region: '$region', eventSource: '', eventName: '' }),
        ]);
      }
      expect(byTitle['Ongoing Insights']).toMatchObject({ type: 'stat', targets: [{ state: 'ongoing' }] });
      expect(byTitle['Recent Insights events'].type).toBe('table');
      const top = byTitle['Top event names by Insights count'];
      expect(top.type).toBe('bargauge');
      expect(top.transformations?.map((t) => t.id)).toEqual(['groupBy', 'sortBy', 'limit']);
      expect(top.transformations?.[0].options).toMatchObject({
        fields: { eventName: { operation: 'groupby' }, eventId: { operation: 'aggregate', aggregations: ['count'] } },
      });
    });

    test('the error-code variable lists the codes of the chosen event name', () => {
      expect(variables.errorCode.query).toMatchObject({ kind: 'errorCodes', eventName: '$eventName' });
    });

    test('shows Insights events of both insight types as annotations, and the data-event Insights of $trail', () => {
      const ours = (dashboard.annotations?.list ?? []).filter((a) => a.target?.queryType === 'annotations');
      const management = ours.filter((a) => a.target?.eventCategory === undefined);
      expect(management.map((a) => a.target?.insightType).sort()).toEqual([
        'ApiCallRateInsight',
        'ApiErrorRateInsight',
      ]);
      expect(ours.filter((a) => a.target?.eventCategory === 'data').map((a) => a.target)).toEqual([
        expect.objectContaining({ eventCategory: 'data', trailName: '$trail', region: '$region' }),
      ]);
    });

    test('ends with a data-event Insights row on the trail variable: ongoing, the table, the call rate', () => {
      const row = dashboard.panels.findIndex((p) => p.type === 'row' && String(p.title).includes('$trail'));
      expect(row).toBeGreaterThan(0);
      const panels = dashboard.panels.slice(row + 1);
      expect(panels.map((p) => [p.type, p.title])).toEqual([
        ['stat', 'Ongoing data-event Insights'],
        ['table', 'Data-event Insights events'],
        ['timeseries', 'Data-event call rate: $dataEventName ($dataEventSource on $trail)'],
      ]);
      for (const panel of panels) {
        expect(panel.targets).toEqual([expect.objectContaining({ eventCategory: 'data', trailName: '$trail' })]);
      }
      expect(panels[0].targets).toEqual([expect.objectContaining({ queryType: 'events', state: 'ongoing' })]);
      expect(panels[2].targets).toEqual([
        expect.objectContaining({
          queryType: 'metrics',
          eventSource: '$dataEventSource',
          eventName: '$dataEventName',
          insightType: 'ApiCallRateInsight',
        }),
      ]);
      // The trail picker's values are ARNs; the event lists read that trail's data events.
      expect(variables.trail.query).toEqual({ refId: 'trail', kind: 'trails', region: '$region' });
      expect(variables.dataEventSource.query).toMatchObject({
        kind: 'eventSources',
        eventCategory: 'data',
        trailName: '$trail',
      });
      expect(variables.dataEventName.query).toMatchObject({
        kind: 'eventNames',
        eventCategory: 'data',
        trailName: '$trail',
        eventSource: '$dataEventSource',
      });
    });

    test("the trail variable's default is the demo account's data-events trail, by ARN, with data series", async () => {
      const sim = await startSimulator({ seed: 'demo' });
      try {
        const provisioned = dataSources().find((d) => d.uid === 'cloudtrail-insights-sim')!;
        const account = sim.accountIdFor(String(provisioned.secureJsonData!.accessKey));
        expect(variables.trail.current!.value).toBe(sim.catalog('us-east-1', account).dataEvents.trailArn);
      } finally {
        await sim.stop();
      }
      const eventSource = variables.dataEventSource.current!.value;
      const eventName = variables.dataEventName.current!.value;
      expect([...DATA_CALL_RATE_TEMPLATES, ...DATA_ERROR_RATE_TEMPLATES]).toContainEqual(
        expect.objectContaining({ eventSource, eventName })
      );
    });

    test('default variable values select series the simulator generates', () => {
      const value = (name: string) => variables[name].current!.value;
      const eventSource = value('eventSource');
      const eventNames = ([] as string[]).concat(value('eventName'));
      expect(eventNames.length).toBeGreaterThan(0);
      for (const eventName of eventNames) {
        expect(CALL_RATE_TEMPLATES).toContainEqual(expect.objectContaining({ eventSource, eventName }));
        expect(ERROR_RATE_TEMPLATES).toContainEqual(
          expect.objectContaining({ eventSource, eventName, errorCode: value('errorCode') })
        );
      }
    });
  });
});
