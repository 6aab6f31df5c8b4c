import React, { useState } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { DataSource } from '../datasource';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { instanceSettings } from '../testing/instanceSettings';
import { answerResources } from '../testing/resources';
import type { CloudTrailInsightsVariableQuery } from '../types';
import { normalizeVariableQuery, VariableQueryEditor } from './VariableQueryEditor';

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

describe('VariableQueryEditor', () => {
  const ds = new DataSource(instanceSettings(), new FakeTemplateSrv());

  it('starts an empty or legacy string variable as an event source list', () => {
    expect(normalizeVariableQuery('')).toEqual({ refId: 'CloudTrailInsightsVariable', kind: 'eventSources' });
    expect(normalizeVariableQuery({ refId: 'x', kind: 'trails' })).toEqual({ refId: 'x', kind: 'trails' });
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
    expect(screen.getByRole('combobox', { name: 'Region' })).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Event source' })).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('combobox', { name: 'List' }));
    await userEvent.click(await screen.findByText('Error codes'));
    expect(screen.getByRole('combobox', { name: 'Event source' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Event name' })).toBeInTheDocument();

    await userEvent.click(screen.getByRole('combobox', { name: 'Event source' }));
    await userEvent.click(await screen.findByText('iam.amazonaws.com'));
    await waitFor(() =>
      expect(getResource).toHaveBeenCalledWith(
        'event-names',
        { region: 'us-west-2', eventSource: 'iam.amazonaws.com' },
        { showErrorAlert: false }
      )
    );

    await userEvent.click(screen.getByRole('combobox', { name: 'List' }));
    await userEvent.click(await screen.findByText('Regions'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'v', kind: 'regions' });
    expect(screen.queryByRole('combobox', { name: 'Region' })).not.toBeInTheDocument();
  });
});
