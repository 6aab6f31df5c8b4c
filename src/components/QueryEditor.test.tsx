import React, { useState } from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TimeRange } from '@grafana/data';

import { DataSource } from '../datasource';
import { DEFAULT_QUERY, QUERY_MODEL_VERSION } from '../shared/queryModel';
import type { ResourceOption } from '../shared/resources';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { instanceSettings } from '../testing/instanceSettings';
import { answerResources, failWith } from '../testing/resources';
import { lastDays } from '../testing/timeRange';
import type { CloudTrailInsightsQuery } from '../types';
import { QueryEditor, withQueryType } from './QueryEditor';

const newQuery: CloudTrailInsightsQuery = { refId: 'A', ...DEFAULT_QUERY, eventSource: '', eventName: '' };

function Harness(props: {
  datasource: DataSource;
  initial?: Partial<CloudTrailInsightsQuery>;
  range?: TimeRange;
  onChange?: jest.Mock;
}) {
  const [query, setQuery] = useState<CloudTrailInsightsQuery>({ ...newQuery, ...props.initial });
  return (
    <QueryEditor
      datasource={props.datasource}
      query={query}
      range={props.range ?? lastDays(30)}
      onRunQuery={() => {}}
      onChange={(next) => {
        props.onChange?.(next);
        setQuery(next);
      }}
    />
  );
}

const field = (label: string) => screen.getByRole('combobox', { name: label });

describe('QueryEditor', () => {
  let ds: DataSource;
  beforeEach(() => {
    ds = new DataSource(instanceSettings(), new FakeTemplateSrv([{ name: 'source', current: 'iam.amazonaws.com' }]));
  });

  it('loads event sources, and reloads event names for the chosen event source', async () => {
    const getResource = answerResources(ds);
    const onChange = jest.fn();
    render(<Harness datasource={ds} onChange={onChange} />);

    await userEvent.click(field('Event source'));
    await userEvent.click(await screen.findByText('s3.amazonaws.com'));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ eventSource: 's3.amazonaws.com' }));
    await waitFor(() =>
      expect(getResource).toHaveBeenCalledWith(
        'event-names',
        { eventSource: 's3.amazonaws.com' },
        { showErrorAlert: false }
      )
    );

    await userEvent.click(field('Event name'));
    expect(await screen.findByText('PutObject')).toBeInTheDocument();
    expect(screen.queryByText('CreateUser')).not.toBeInTheDocument();
  }, 30_000);

  it('accepts free text and dashboard variables in the selects', async () => {
    answerResources(ds);
    const onChange = jest.fn();
    render(<Harness datasource={ds} onChange={onChange} />);
    await userEvent.type(field('Event name'), 'ConsoleLogin{enter}');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ eventName: 'ConsoleLogin' }));

    await userEvent.click(field('Event source'));
    await userEvent.click(await screen.findByText('$source'));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ eventSource: '$source' }));
    expect(screen.queryByText(/must be a service endpoint/)).not.toBeInTheDocument();
  }, 30_000);

  it('shows the error code only for the error-rate type, and requires it there', async () => {
    const getResource = answerResources(ds);
    const onChange = jest.fn();
    render(
      <Harness
        datasource={ds}
        initial={{ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' }}
        onChange={onChange}
      />
    );
    expect(screen.queryByRole('combobox', { name: 'Error code' })).not.toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('API error rate'));
    expect(field('Error code')).toBeInTheDocument();
    expect(screen.getByText(/Error code is required for the API error rate insight type/)).toBeInTheDocument();
    await waitFor(() =>
      expect(getResource).toHaveBeenCalledWith(
        'error-codes',
        { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' },
        { showErrorAlert: false }
      )
    );

    await userEvent.click(field('Error code'));
    await userEvent.click(await screen.findByText('AccessDenied'));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ insightType: 'ApiErrorRateInsight', errorCode: 'AccessDenied' })
    );
    expect(screen.queryByText(/Error code is required/)).not.toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('API call rate'));
    expect(screen.queryByRole('combobox', { name: 'Error code' })).not.toBeInTheDocument();
    expect(onChange.mock.lastCall[0]).not.toHaveProperty('errorCode');
  }, 30_000);

  it("shows the shared validator's message in place for invalid input", async () => {
    answerResources(ds);
    render(<Harness datasource={ds} initial={{ eventSource: 'IAM', eventName: 'Create-User', region: 'mars-1' }} />);
    expect(await screen.findByText(/Event source "IAM" must be a service endpoint/)).toBeInTheDocument();
    expect(screen.getByText(/Event name "Create-User" may contain only letters, digits and "_"/)).toBeInTheDocument();
    expect(screen.getByText(/Region "mars-1" is not an AWS region name/)).toBeInTheDocument();
  });

  it('shows loading while a list is fetched, then the options', async () => {
    let release: (value: ResourceOption[]) => void = () => {};
    answerResources(ds, { 'event-sources': () => new Promise<ResourceOption[]>((resolve) => (release = resolve)) });
    render(<Harness datasource={ds} />);
    // The spinner is the combobox's own suffix icon, beside its input.
    const control = field('Event source').parentElement as HTMLElement;
    // The other lists answer at once; only the event sources stay loading.
    await waitFor(() => expect(screen.getAllByTestId('spinner')).toHaveLength(1));
    expect(within(control).getByTestId('spinner')).toBeInTheDocument();
    expect(screen.getByTestId('cloudtrail-event-source-field')).toHaveAttribute('aria-busy', 'true');
    release([{ value: 'iam.amazonaws.com', label: 'iam.amazonaws.com' }]);
    await waitFor(() => expect(within(control).queryByTestId('spinner')).not.toBeInTheDocument());
    expect(screen.getByTestId('cloudtrail-event-source-field')).toHaveAttribute('aria-busy', 'false');
    await userEvent.click(field('Event source'));
    expect(await screen.findByRole('option', { name: 'iam.amazonaws.com' })).toBeInTheDocument();
  }, 30_000);

  it('names a failed resource call in place', async () => {
    answerResources(ds, { 'event-names': failWith(502, 'ThrottlingException: Rate exceeded') });
    render(<Harness datasource={ds} initial={{ eventSource: 'iam.amazonaws.com' }} />);
    expect(
      await screen.findByText('Could not load event names (HTTP 502): ThrottlingException: Rate exceeded', {
        exact: false,
      })
    ).toBeInTheDocument();
  });

  it('shows the resolved period and retention notices, following the time range', async () => {
    answerResources(ds);
    const { rerender } = render(<Harness datasource={ds} range={lastDays(30)} />);
    expect(screen.getByTestId('period-hint')).toHaveTextContent('Period: 300 s (auto, last 30 days)');

    rerender(<Harness datasource={ds} range={lastDays(80)} />);
    expect(screen.getByTestId('period-hint')).toHaveTextContent('Period: 3600 s (auto, last 80 days)');

    await userEvent.click(screen.getByLabelText('1 min'));
    expect(screen.getByTestId('period-hint')).toHaveTextContent(
      /Period 60 s is kept for 15 days only and this range starts 80 days ago: using 3600 s/
    );
  });

  it('migrates a saved query from an older model once, on load', () => {
    answerResources(ds);
    const onChange = jest.fn();
    const legacy = {
      refId: 'A',
      source: 'iam.amazonaws.com',
      name: 'CreateUser',
      period: '5m',
    } as unknown as CloudTrailInsightsQuery;
    render(
      <QueryEditor datasource={ds} query={legacy} onChange={onChange} onRunQuery={() => {}} range={lastDays(1)} />
    );
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateUser',
        period: 300,
        modelVersion: QUERY_MODEL_VERSION,
      })
    );
  });
});

describe('QueryEditor: query type', () => {
  let ds: DataSource;
  beforeEach(() => {
    ds = new DataSource(instanceSettings(), new FakeTemplateSrv());
    answerResources(ds);
  });

  it('switching to Insights events shows the event filters and drops the metrics-only fields', async () => {
    const onChange = jest.fn();
    render(
      <Harness
        datasource={ds}
        onChange={onChange}
        initial={{ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', legendFormat: '{{eventName}}' }}
      />
    );
    expect(screen.getByText('Period')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: 'Insights events' }));
    const events = onChange.mock.lastCall[0];
    expect(events).toMatchObject({ queryType: 'events', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' });
    expect(events).not.toHaveProperty('legendFormat');
    expect(events).not.toHaveProperty('period');
    expect(screen.queryByText('Period')).not.toBeInTheDocument();
    expect(screen.queryByText('Legend')).not.toBeInTheDocument();
    for (const label of ['All types', 'Ongoing', 'Ended', 'Table', 'Count per series']) {
      expect(screen.getByRole('radio', { name: label })).toBeInTheDocument();
    }
    // The metrics' call-rate type is kept as the filter; call-rate Insights have no error code.
    expect(screen.getByRole('radio', { name: 'API call rate' })).toBeChecked();
    expect(screen.queryByRole('combobox', { name: 'Error code' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: 'All types' }));
    expect(onChange.mock.lastCall[0]).not.toHaveProperty('insightType');
    expect(screen.getByRole('combobox', { name: 'Error code' })).toBeInTheDocument();

    await userEvent.click(screen.getByRole('radio', { name: 'Ongoing' }));
    expect(onChange.mock.lastCall[0]).toMatchObject({ queryType: 'events', state: 'ongoing' });

    await userEvent.click(screen.getByRole('radio', { name: 'Metrics' }));
    const metrics = onChange.mock.lastCall[0];
    expect(metrics).toMatchObject({ queryType: 'metrics', insightType: 'ApiCallRateInsight', period: 'auto' });
    expect(metrics).not.toHaveProperty('state');
    expect(screen.getByText('Period')).toBeInTheDocument();
  }, 60_000);
});

describe('QueryEditor: placeholders', () => {
  it('the legend placeholder is the name the series really gets; management events need no trail', () => {
    const ds = new DataSource(instanceSettings(), new FakeTemplateSrv());
    answerResources(ds);
    render(
      <Harness
        datasource={ds}
        initial={{
          eventSource: 'iam.amazonaws.com',
          eventName: 'CreateUser',
          insightType: 'ApiErrorRateInsight',
          errorCode: 'AccessDenied',
          valueUnit: 'perMinute',
        }}
      />
    );
    expect(screen.getByLabelText(/^Legend/)).toHaveAttribute(
      'placeholder',
      'CreateUser AccessDenied (iam) error rate per minute'
    );
    // The scope replaced the empty trail that meant management events: no trail field until data events.
    expect(screen.getByRole('radio', { name: 'Management events' })).toBeChecked();
    expect(screen.queryByRole('combobox', { name: 'Trail' })).not.toBeInTheDocument();
  }, 30_000);
});

describe('QueryEditor: the data-event scope', () => {
  const arn = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/data-events';
  const trails = () => [
    {
      value: arn,
      label: 'data-events',
      description: 'us-east-1 · Insights: API call rate on management and data events',
    },
    { value: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events', label: 'management-events' },
  ];
  const sources = (params: Record<string, string>) =>
    params.trailName === arn
      ? [{ value: 's3.amazonaws.com', label: 's3.amazonaws.com' }]
      : [{ value: 'iam.amazonaws.com', label: 'iam.amazonaws.com' }];

  it.each(['metrics', 'events'] as const)(
    '%s: switching scope shows the trail picker, the trail is written by ARN and the lists read its data events',
    async (queryType) => {
      const ds = new DataSource(instanceSettings(), new FakeTemplateSrv());
      const getResource = answerResources(ds, { trails, 'event-sources': sources });
      const onChange = jest.fn();
      render(<Harness datasource={ds} onChange={onChange} initial={{ queryType }} />);

      await userEvent.click(screen.getByRole('radio', { name: 'Data events' }));
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ eventCategory: 'data' }));
      // Not complete yet: the validator asks for the trail in place.
      expect(await screen.findByText(/Data events need a trail/)).toBeInTheDocument();
      await userEvent.click(field('Trail'));
      expect(await screen.findByText(/Insights: API call rate on management and data events/)).toBeInTheDocument();
      await userEvent.click(await screen.findByText('data-events'));
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ eventCategory: 'data', trailName: arn }));
      await waitFor(() =>
        expect(getResource).toHaveBeenCalledWith('event-sources', { trailName: arn }, { showErrorAlert: false })
      );
      await userEvent.click(field('Event source'));
      expect(await screen.findByText('s3.amazonaws.com')).toBeInTheDocument();
      expect(screen.queryByText('iam.amazonaws.com')).not.toBeInTheDocument();

      // Back to management events: the trail goes, the lists are management events' again.
      await userEvent.click(screen.getByRole('radio', { name: 'Management events' }));
      const last = onChange.mock.calls.at(-1)![0];
      expect(last).not.toHaveProperty('trailName');
      expect(last).not.toHaveProperty('eventCategory');
    },
    60_000
  );

  it('switching the query type keeps the scope', () => {
    const query = { ...newQuery, eventCategory: 'data' as const, trailName: arn };
    expect(withQueryType(query, 'events')).toMatchObject({ eventCategory: 'data', trailName: arn });
    expect(withQueryType({ ...query, queryType: 'events' }, 'metrics')).toMatchObject({ trailName: arn });
  });
});
