import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import { expandQuery, interpolateQuery, originalRefId, referencedVariables, uniqueRefIds } from './templateVariables';
import type { CloudTrailInsightsQuery } from './types';

const base: CloudTrailInsightsQuery = {
  refId: 'A',
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
  insightType: 'ApiCallRateInsight',
  period: 'auto',
  dataType: 'FillWithZeros',
};

const templates = new FakeTemplateSrv([
  { name: 'region', current: 'eu-west-1' },
  { name: 'regions', current: ['us-east-1', 'us-west-2'] },
  { name: 'names', current: '$__all', options: ['CreateUser', 'DeleteUser', 'AttachRolePolicy'] },
  { name: 'source', current: 'iam' },
  { name: 'code', current: 'AccessDenied' },
]);

describe('referencedVariables', () => {
  it('finds every variable syntax once, in order', () => {
    expect(referencedVariables('$a ${b} ${c:csv} [[d]] $a ${e.text}')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('interpolateQuery', () => {
  it('interpolates every string field including region, error code, legend and trail', () => {
    const query = interpolateQuery(
      {
        ...base,
        region: '$region',
        eventSource: '${source}.amazonaws.com',
        insightType: 'ApiErrorRateInsight',
        errorCode: '[[code]]',
        legendFormat: '{{eventName}} $region',
        trailName: 'trail-$region',
      },
      templates,
      {}
    );
    expect(query).toMatchObject({
      region: 'eu-west-1',
      eventSource: 'iam.amazonaws.com',
      errorCode: 'AccessDenied',
      legendFormat: '{{eventName}} eu-west-1',
      trailName: 'trail-eu-west-1',
    });
  });
});

describe('expandQuery', () => {
  it('keeps a query with single-value variables as one query', () => {
    expect(expandQuery({ ...base, region: '$region' }, templates)).toEqual([{ ...base, region: 'eu-west-1' }]);
  });

  it('expands a multi-value variable into one query per value', () => {
    const queries = expandQuery({ ...base, region: '$regions' }, templates);
    expect(queries.map((q) => q.region)).toEqual(['us-east-1', 'us-west-2']);
  });

  it('expands All into every option of the variable', () => {
    const queries = expandQuery({ ...base, eventName: '${names}' }, templates);
    expect(queries.map((q) => q.eventName)).toEqual(['CreateUser', 'DeleteUser', 'AttachRolePolicy']);
  });

  it('combines several multi-value variables, and a variable used twice takes the same value', () => {
    const queries = expandQuery(
      { ...base, region: '$regions', eventName: '$names', legendFormat: '$regions' },
      templates
    );
    expect(queries).toHaveLength(6);
    expect(queries.every((q) => q.legendFormat === q.region)).toBe(true);
    expect(new Set(queries.map((q) => `${q.region}/${q.eventName}`)).size).toBe(6);
  });

  it('lets scoped variables (repeated panels) pin the value', () => {
    const queries = expandQuery({ ...base, region: '$regions' }, templates, {
      regions: { text: 'ap-south-1', value: 'ap-south-1' },
    });
    expect(queries.map((q) => q.region)).toEqual(['ap-south-1']);
  });

  it('leaves unknown variables as typed so validation can name them', () => {
    expect(expandQuery({ ...base, eventName: '$unknown' }, templates)[0].eventName).toBe('$unknown');
  });
});

describe('refIds of expanded queries', () => {
  it('stay unique and map back to the panel refId', () => {
    const a = expandQuery({ ...base, region: '$regions' }, templates);
    const b = [{ ...base, refId: 'A#2' }];
    const unique = uniqueRefIds([a, b]);
    expect(unique.map((q) => q.refId)).toEqual(['A', 'A#3', 'A#2']);
    const originals = new Set(['A', 'A#2']);
    expect(originalRefId('A#3', originals)).toBe('A');
    expect(originalRefId('A#2', originals)).toBe('A#2');
    expect(originalRefId('B', originals)).toBe('B');
  });
});
