import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { DataSource } from '../datasource';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { instanceSettings } from '../testing/instanceSettings';
import { answerResources } from '../testing/resources';
import type { CloudTrailInsightsQuery } from '../types';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';

describe('AnnotationQueryEditor', () => {
  const ds = new DataSource(instanceSettings(), new FakeTemplateSrv());

  it('edits optional filters and always marks the query as an annotation query', async () => {
    answerResources(ds);
    const onChange = jest.fn();
    const query = {
      refId: 'Anno',
      queryType: 'annotations',
      eventSource: '',
      eventName: '',
    } as CloudTrailInsightsQuery;
    render(<AnnotationQueryEditor datasource={ds} query={query} onChange={onChange} onRunQuery={() => {}} />);
    expect(screen.getByText('All event sources')).toBeInTheDocument();
    expect(screen.getByText('Default (us-east-1)')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('combobox', { name: 'Event source' }));
    await userEvent.click(await screen.findByText('s3.amazonaws.com'));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ queryType: 'annotations', eventSource: 's3.amazonaws.com' })
    );
  });

  it('offers the insight type (all by default), the error code and the state', async () => {
    answerResources(ds);
    const onChange = jest.fn();
    const query = {
      refId: 'Anno',
      queryType: 'annotations',
      eventSource: '',
      eventName: '',
    } as CloudTrailInsightsQuery;
    render(<AnnotationQueryEditor datasource={ds} query={query} onChange={onChange} onRunQuery={() => {}} />);
    expect(screen.getByRole('radio', { name: 'All types' })).toBeChecked();
    expect(screen.getByRole('combobox', { name: 'Error code' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: 'API error rate' }));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ queryType: 'annotations', insightType: 'ApiErrorRateInsight' })
    );
    await userEvent.click(screen.getByRole('radio', { name: 'Ongoing' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ state: 'ongoing' }));
  });
});
