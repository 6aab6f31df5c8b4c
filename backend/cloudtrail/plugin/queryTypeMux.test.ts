import type { CloudTrailInsightsQuery } from '../../../src/shared/queryModel';
import { queryTypeMux } from './queryTypeMux';

const mux = queryTypeMux<string>({
  metrics: async (m) => `metrics ${m.refId}`,
  events: async (m) => `events ${m.refId}`,
  annotations: async (m) => `annotations ${m.refId}`,
});
const query = (queryType?: CloudTrailInsightsQuery['queryType']) =>
  ({ refId: 'A', queryType }) as CloudTrailInsightsQuery;

test('each query type goes to its own handler', async () => {
  expect(await mux(query('metrics'))).toBe('metrics A');
  expect(await mux(query('events'))).toBe('events A');
  expect(await mux(query('annotations'))).toBe('annotations A');
});

test('a saved query without a type is a metrics query', async () => {
  expect(await mux(query(undefined))).toBe('metrics A');
});
