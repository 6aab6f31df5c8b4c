import React, { useState } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { DataSource } from '../datasource';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { instanceSettings } from '../testing/instanceSettings';
import { answerResources } from '../testing/resources';
import type { CloudTrailInsightsVariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

function Harness({ datasource, initial, onChange }: { datasource: DataSource; initial: unknown; onChange: jest.Mock }) {
  const [query, setQuery] = useState(initial as CloudTrailInsightsVariableQuery);
  return (
    <VariableQueryEditor
      datasource={datasource}
      query={query}
      onRunQuery={() => {}}
      onChange={(next) => {
        onChange(next);
        setQuery(next as unknown as CloudTrailInsightsVariableQuery);
      }}
    />
  );
}

const field = (name: string) => screen.getByRole('combobox', { name });

/** Opens a combobox and picks an option, as a user does with the mouse. */
async function choose(name: string, option: string) {
  await userEvent.click(field(name));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

describe('VariableQueryEditor', () => {
  const ds = new DataSource(instanceSettings(), new FakeTemplateSrv());

  it('shows a variable saved without a kind (or as a plain string) as an event source list', () => {
    answerResources(ds);
    render(<Harness datasource={ds} initial="" onChange={jest.fn()} />);
    expect(field('List')).toHaveValue('Event sources');
    expect(field('Region')).toBeInTheDocument();
  });

  it('shows only the filters the chosen list accepts and keeps only those in the query', async () => {
    const getResource = answerResources(ds);
    const onChange = jest.fn();
    render(
      <Harness
        datasource={ds}
        initial={{ refId: 'v', kind: 'eventSources', region: 'us-west-2' }}
        onChange={onChange}
      />
    );
    expect(field('Region')).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Event source' })).not.toBeInTheDocument();

    await choose('List', 'Error codes');
    expect(field('Event source')).toBeInTheDocument();
    expect(field('Event name')).toBeInTheDocument();

    await choose('Event source', 'iam.amazonaws.com');
    await waitFor(() =>
      expect(getResource).toHaveBeenCalledWith(
        'event-names',
        { region: 'us-west-2', eventSource: 'iam.amazonaws.com' },
        { showErrorAlert: false }
      )
    );

    await choose('List', 'Regions');
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'v', kind: 'regions' });
    expect(screen.queryByRole('combobox', { name: 'Region' })).not.toBeInTheDocument();
  }, 60_000);

  it('lists Insights events with the events filters and a choice of value; other lists drop them', async () => {
    answerResources(ds);
    const onChange = jest.fn();
    render(
      <Harness datasource={ds} initial={{ refId: 'v', kind: 'eventNames', region: 'eu-west-1' }} onChange={onChange} />
    );
    expect(screen.queryByRole('radio', { name: 'Ongoing' })).not.toBeInTheDocument();

    await choose('List', 'Insights events');
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'v', kind: 'insights', region: 'eu-west-1' });
    // The events query's filters, all types and states by default.
    expect(field('Event source')).toBeInTheDocument();
    expect(field('Event name')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'All types' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'All' })).toBeChecked();
    expect(field('Error code')).toBeInTheDocument();
    expect(field('Value')).toHaveValue('Event name');

    await userEvent.click(screen.getByRole('radio', { name: 'Ongoing' }));
    await userEvent.click(screen.getByRole('radio', { name: 'API error rate' }));
    await choose('Error code', 'AccessDenied');
    await choose('Value', 'Event ID (one per Insight)');
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'v',
      kind: 'insights',
      region: 'eu-west-1',
      state: 'ongoing',
      insightType: 'ApiErrorRateInsight',
      errorCode: 'AccessDenied',
      valueField: 'eventId',
    });

    // Choosing call rate drops the error code (call-rate Insights have none).
    await userEvent.click(screen.getByRole('radio', { name: 'API call rate' }));
    expect(onChange.mock.lastCall[0]).not.toHaveProperty('errorCode');
    expect(screen.queryByRole('combobox', { name: 'Error code' })).not.toBeInTheDocument();

    await choose('List', 'Event sources');
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'v', kind: 'eventSources', region: 'eu-west-1' });
    expect(screen.queryByRole('radio', { name: 'Ongoing' })).not.toBeInTheDocument();
  }, 60_000);

  it('lists per scope: the data-event scope sends its trail (by ARN) to the lists; error codes of Insights as values', async () => {
    const arn = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/data-events';
    const getResource = answerResources(ds, { trails: () => [{ value: arn, label: 'data-events' }] });
    const onChange = jest.fn();
    render(<Harness datasource={ds} initial={{ refId: 'v', kind: 'eventSources' }} onChange={onChange} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Data events' }));
    await choose('Trail', 'data-events');
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'v',
      kind: 'eventSources',
      eventCategory: 'data',
      trailName: arn,
    });

    await choose('List', 'Insights events');
    await choose('Value', 'Error code');
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ kind: 'insights', eventCategory: 'data', trailName: arn, valueField: 'errorCode' })
    );
    await userEvent.click(field('Event source'));
    await waitFor(() =>
      expect(getResource).toHaveBeenCalledWith('event-sources', { trailName: arn }, { showErrorAlert: false })
    );
  }, 60_000);
});
