import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { DataSource } from '../datasource';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { instanceSettings } from '../testing/instanceSettings';
import { answerResources } from '../testing/resources';
import type { CloudTrailInsightsQuery } from '../types';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';

/** A new annotation: every filter empty. */
const query = { refId: 'Anno', queryType: 'annotations', eventSource: '', eventName: '' } as CloudTrailInsightsQuery;

describe('AnnotationQueryEditor', () => {
  const ds = new DataSource(instanceSettings(), new FakeTemplateSrv());
  const renderEditor = (onChange: jest.Mock) =>
    render(<AnnotationQueryEditor datasource={ds} query={query} onChange={onChange} onRunQuery={() => {}} />);

  it('edits optional filters and always marks the query as an annotation query', async () => {
    answerResources(ds);
    const onChange = jest.fn();
    renderEditor(onChange);
    const eventSource = screen.getByRole('combobox', { name: 'Event source' });
    expect(eventSource).toHaveAttribute('placeholder', 'All event sources');
    expect(screen.getByRole('combobox', { name: 'Region' })).toHaveAttribute('placeholder', 'Default (us-east-1)');
    await userEvent.click(eventSource);
    await userEvent.click(await screen.findByRole('option', { name: 's3.amazonaws.com' }));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ queryType: 'annotations', eventSource: 's3.amazonaws.com' })
    );
  }, 30_000);

  it('offers the insight type (all by default), the error code and the state', async () => {
    answerResources(ds);
    const onChange = jest.fn();
    renderEditor(onChange);
    expect(screen.getByRole('radio', { name: 'All types' })).toBeChecked();
    expect(screen.getByRole('combobox', { name: 'Error code' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: 'API error rate' }));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ queryType: 'annotations', insightType: 'ApiErrorRateInsight' })
    );
    await userEvent.click(screen.getByRole('radio', { name: 'Ongoing' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ state: 'ongoing' }));
  }, 30_000);
});
