import { CoreApp, dateTime, type DataQueryRequest } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { DataSource } from './datasource';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import { instanceSettings } from './testing/instanceSettings';
import { answerResources, failWith } from './testing/resources';
import type { CloudTrailInsightsVariableQuery } from './types';
import type { CloudTrailInsightsVariableSupport } from './variables';

const request = (query: CloudTrailInsightsVariableQuery) =>
  ({
    targets: [query],
    scopedVars: {},
    range: { from: dateTime(0), to: dateTime(1), raw: { from: 'now-1h', to: 'now' } },
    app: CoreApp.Dashboard,
  }) as unknown as DataQueryRequest<CloudTrailInsightsVariableQuery>;

describe('variable support', () => {
  const ds = new DataSource(instanceSettings(), new FakeTemplateSrv([{ name: 'region', current: 'eu-west-1' }]));
  const variables = ds.variables as CloudTrailInsightsVariableSupport;

  it('lists a resource as text/value fields, with template variables in the filters resolved', async () => {
    const getResource = answerResources(ds);
    const response = await lastValueFrom(
      variables.query(request({ refId: 'v', kind: 'eventNames', region: '$region', eventSource: 's3.amazonaws.com' }))
    );
    expect(getResource).toHaveBeenCalledWith(
      'event-names',
      { region: 'eu-west-1', eventSource: 's3.amazonaws.com' },
      { showErrorAlert: false }
    );
    const frame = response.data[0];
    expect(frame.fields.map((f: { name: string; values: string[] }) => [f.name, f.values])).toEqual([
      ['text', ['PutObject', 'DeleteObject']],
      ['value', ['PutObject', 'DeleteObject']],
    ]);
  });

  it('lists Insights events matching the filters during the dashboard time range, valued as chosen', async () => {
    const getResource = answerResources(ds, {
      insights: () => [
        { value: 'ev-2', label: 'CreateUser (iam.amazonaws.com), API call rate, since 2026-12-01 10:00 UTC, ongoing' },
      ],
    });
    const response = await lastValueFrom(
      variables.query(
        request({
          refId: 'v',
          kind: 'insights',
          region: '$region',
          eventSource: 'iam.amazonaws.com',
          state: 'ongoing',
          insightType: 'ApiCallRateInsight',
          valueField: 'eventId',
        })
      )
    );
    expect(getResource).toHaveBeenCalledWith(
      'insights',
      {
        region: 'eu-west-1',
        eventSource: 'iam.amazonaws.com',
        insightType: 'ApiCallRateInsight',
        state: 'ongoing',
        value: 'eventId',
        from: '0',
        to: '1',
      },
      { showErrorAlert: false }
    );
    expect(response.data[0].fields.map((f: { name: string; values: string[] }) => [f.name, f.values])).toEqual([
      ['text', ['CreateUser (iam.amazonaws.com), API call rate, since 2026-12-01 10:00 UTC, ongoing']],
      ['value', ['ev-2']],
    ]);
  });

  it('reports a failed list as the response error', async () => {
    answerResources(ds, { trails: failWith(403, 'AccessDeniedException: not allowed to DescribeTrails') });
    const response = await lastValueFrom(variables.query(request({ refId: 'v', kind: 'trails' })));
    expect(response.data).toEqual([]);
    expect(response.errors?.[0].message).toBe(
      'Could not load trails (HTTP 403): AccessDeniedException: not allowed to DescribeTrails'
    );
  });

  it('lists event sources for a variable saved without a kind', async () => {
    const getResource = answerResources(ds);
    await lastValueFrom(variables.query(request({ refId: 'v' } as CloudTrailInsightsVariableQuery)));
    expect(getResource).toHaveBeenCalledWith('event-sources', {}, { showErrorAlert: false });
  });

  it('names an unknown list kind', async () => {
    const response = await lastValueFrom(variables.query(request({ refId: 'v', kind: 'buckets' as never })));
    expect(response.errors?.[0].message).toBe('Choose what the variable lists (got "buckets").');
  });
});
