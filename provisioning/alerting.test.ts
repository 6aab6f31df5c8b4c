import {
  CALL_RATE_TEMPLATES,
  DATA_CALL_RATE_TEMPLATES,
  DATA_ERROR_RATE_TEMPLATES,
  ERROR_RATE_TEMPLATES,
} from '../simulator/data/templates';
import { DATA_TRAIL_NAME } from '../simulator/data/trails';
import {
  alertRuleGroups,
  allPanels,
  dashboardFiles,
  dataSources,
  pluginJson,
  readYamlFiles,
} from './provisioningFiles';
import { NO_PROBLEMS, queryProblems } from './queryFields';

const EXPRESSION_UID = '__expr__';
const EXPRESSION_TYPES = ['math', 'reduce', 'resample', 'classic_conditions', 'threshold', 'sql'];
const DURATION = /^(\d+[smhdw])+$/;

describe('provisioned alert rules', () => {
  const groups = alertRuleGroups();
  const rules = groups.flatMap((g) => g.rules);
  const uids = new Set(dataSources().map((d) => d.uid));
  const pluginId = pluginJson().id;
  const dashboards = dashboardFiles();

  test('every file is version 1 and every group has a folder, an interval and rules', () => {
    for (const file of readYamlFiles('alerting')) {
      expect({ path: file.path, apiVersion: file.content.apiVersion }).toEqual({ path: file.path, apiVersion: 1 });
    }
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(group).toMatchObject({ orgId: 1, name: expect.any(String), folder: expect.any(String) });
      expect(group.interval).toMatch(DURATION);
      expect(group.rules.length).toBeGreaterThan(0);
    }
  });

  test('rule uids are unique and valid, and the states and durations are ones Grafana knows', () => {
    expect(new Set(rules.map((r) => r.uid)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(rule.uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
      expect(['Alerting', 'NoData', 'OK', 'KeepLast']).toContain(rule.noDataState);
      expect(['Alerting', 'Error', 'OK', 'KeepLast']).toContain(rule.execErrState);
      expect(rule.for).toMatch(DURATION);
    }
  });

  test('there is an error-rate rule and a call-rate rule', () => {
    const types = rules.flatMap((r) => r.data.map((d) => d.model.insightType)).filter(Boolean);
    expect(types).toEqual(expect.arrayContaining(['ApiErrorRateInsight', 'ApiCallRateInsight']));
  });

  test.each(rules.map((r) => [r.title, r] as const))(
    '%s: data queries target the provisioned data source and validate',
    (_, rule) => {
      const queries = rule.data.filter((d) => d.datasourceUid !== EXPRESSION_UID);
      expect(queries.length).toBeGreaterThan(0);
      for (const query of queries) {
        expect(uids.has(query.datasourceUid)).toBe(true);
        expect(query.model.refId).toBe(query.refId);
        expect(query.model.datasource).toEqual({ type: pluginId, uid: query.datasourceUid });
        expect(query.relativeTimeRange!.from).toBeGreaterThan(query.relativeTimeRange!.to);
        // Alert rules are not interpolated by the browser: no template variables allowed here.
        expect({ refId: query.refId, ...queryProblems(query.model, { allowTemplateVariables: false }) }).toEqual({
          refId: query.refId,
          ...NO_PROBLEMS,
        });
      }
    }
  );

  test.each(rules.map((r) => [r.title, r] as const))(
    '%s: expressions reference existing refIds and the condition exists',
    (_, rule) => {
      const refIds = rule.data.map((d) => d.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      expect(refIds).toContain(rule.condition);
      for (const expression of rule.data.filter((d) => d.datasourceUid === EXPRESSION_UID)) {
        expect(EXPRESSION_TYPES).toContain(expression.model.type);
        expect(expression.model.refId).toBe(expression.refId);
        const input = String(expression.model.expression).replace(/^\$/, '');
        expect(refIds.filter((id) => id !== expression.refId)).toContain(input);
      }
      const condition = rule.data.find((d) => d.refId === rule.condition)!;
      expect(condition.datasourceUid).toBe(EXPRESSION_UID);
      expect(condition.model.type).toBe('threshold');
    }
  );

  test.each(rules.map((r) => [r.title, r] as const))(
    '%s: has labels and annotations, and labels hold no $ (Grafana expands env vars there)',
    (_, rule) => {
      expect(Object.keys(rule.labels ?? {}).length).toBeGreaterThan(0);
      expect(rule.annotations?.summary).toEqual(expect.any(String));
      expect(Object.values(rule.labels ?? {}).filter((v) => v.includes('$'))).toEqual([]);
    }
  );

  test('rule titles are unique per folder (Grafana rejects duplicates)', () => {
    const keys = groups.flatMap((g) => g.rules.map((r) => `${g.folder}/${r.title}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test.each(rules.map((r) => [r.title, r] as const))(
    '%s: dashboard link annotations come as a pair and point at a provisioned panel of the right insight type',
    (_, rule) => {
      const { __dashboardUid__: dashboardUid, __panelId__: panelId } = rule.annotations ?? {};
      // Grafana fails provisioning (and startup) when only one of the two is set.
      expect(dashboardUid === undefined).toBe(panelId === undefined);
      if (dashboardUid === undefined) {
        return;
      }
      const dashboard = dashboards.find((d) => d.content.uid === dashboardUid)?.content;
      expect(dashboard).toBeDefined();
      const panel = allPanels(dashboard!).find((p) => String(p.id) === panelId);
      // The panel shows what the rule evaluates: the same query type and insight type.
      const kind = (q: Record<string, unknown>) => [q.queryType, q.insightType ?? 'all types'];
      const ruleKinds = rule.data.filter((d) => d.datasourceUid !== EXPRESSION_UID).map((d) => kind(d.model));
      expect(panel?.targets?.map(kind)).toEqual(ruleKinds);
    }
  );

  test('a rule fires while an Insight is ongoing, one alert instance per series', () => {
    const ongoing = rules.filter((r) =>
      r.data.some(
        (d) => d.model.queryType === 'events' && d.model.eventsFormat === 'count' && d.model.state === 'ongoing'
      )
    );
    expect(ongoing.length).toBeGreaterThan(0);
    for (const rule of ongoing) {
      const condition = rule.data.find((d) => d.refId === rule.condition)!;
      // Counts are numbers already (numeric-multi): the threshold reads the query directly.
      expect(condition.model).toMatchObject({ type: 'threshold', expression: 'A' });
      expect(condition.model.conditions).toEqual([{ evaluator: { type: 'gt', params: [0] } }]);
      expect(rule.noDataState).toBe('OK');
    }
  });

  test('a rule fires when an Insight on the data events of a trail starts, labelled with the trail', () => {
    const data = rules.filter((r) => r.data.some((d) => d.model.eventCategory === 'data'));
    expect(data.map((r) => r.uid)).toEqual(['cti-data-insight-ongoing']);
    const [rule] = data;
    // The demo's trail logging S3, Lambda and DynamoDB data events, by name in the query's region.
    expect(rule.data[0].model).toMatchObject({
      queryType: 'events',
      eventCategory: 'data',
      trailName: DATA_TRAIL_NAME,
      region: 'us-east-1',
      state: 'ongoing',
      eventsFormat: 'count',
    });
    expect(rule.annotations?.summary).toContain('{{ $labels.trailName }}');
    expect(rule.data.find((d) => d.refId === rule.condition)!.model).toMatchObject({
      type: 'threshold',
      expression: 'A',
      conditions: [{ evaluator: { type: 'gt', params: [0] } }],
    });
  });

  test('the queried series exist in the simulator, so the demo rules evaluate real data', () => {
    const queries = rules.flatMap((r) => r.data.filter((d) => d.datasourceUid !== EXPRESSION_UID));
    for (const query of queries.filter((q) => q.model.queryType === 'events')) {
      // Event filters are optional; the ones given must name simulated series (of the data-events trail in its scope).
      const { eventSource, eventName } = query.model;
      const known =
        query.model.eventCategory === 'data'
          ? [...DATA_CALL_RATE_TEMPLATES, ...DATA_ERROR_RATE_TEMPLATES]
          : [...CALL_RATE_TEMPLATES, ...ERROR_RATE_TEMPLATES];
      expect(
        known.some((t) => (!eventSource || t.eventSource === eventSource) && (!eventName || t.eventName === eventName))
      ).toBe(true);
    }
    for (const query of queries.filter((q) => q.model.queryType !== 'events')) {
      const { eventSource, eventName, errorCode, insightType } = query.model;
      const templates = insightType === 'ApiErrorRateInsight' ? ERROR_RATE_TEMPLATES : CALL_RATE_TEMPLATES;
      expect(templates).toContainEqual(
        expect.objectContaining({ eventSource, eventName, ...(errorCode ? { errorCode } : {}) })
      );
    }
  });
});
