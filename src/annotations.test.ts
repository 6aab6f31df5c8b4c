import type { AnnotationQuery } from '@grafana/data';

import { annotationSupport, defaultAnnotationQuery } from './annotations';
import type { CloudTrailInsightsQuery } from './types';

describe('annotation support', () => {
  it('starts with an unfiltered annotation query', () => {
    expect(annotationSupport.getDefaultQuery?.()).toEqual(defaultAnnotationQuery());
    expect(defaultAnnotationQuery()).toMatchObject({ queryType: 'annotations', eventSource: '', eventName: '' });
    // All insight types: error-rate Insights must not be hidden by the metrics' default.
    expect(defaultAnnotationQuery().insightType).toBeUndefined();
  });

  it('drops the call-rate type that annotations saved before version 2 carried from the metrics defaults', () => {
    const prepare = (target: Record<string, unknown>) =>
      annotationSupport.prepareAnnotation!({
        name: 'Insights',
        enable: true,
        iconColor: 'orange',
        target: target as unknown as CloudTrailInsightsQuery,
      }).target!;
    const v1 = { refId: 'Anno', queryType: 'annotations', insightType: 'ApiCallRateInsight', modelVersion: 1 };
    expect(prepare(v1).insightType).toBeUndefined();
    expect(prepare({ ...v1, insightType: 'ApiErrorRateInsight' }).insightType).toBe('ApiErrorRateInsight');
    // Chosen in the version 2 editor, or written by hand without a version: kept.
    expect(prepare({ ...v1, modelVersion: 2 }).insightType).toBe('ApiCallRateInsight');
    expect(prepare({ ...v1, modelVersion: undefined }).insightType).toBe('ApiCallRateInsight');
  });

  it('migrates the saved target and marks it as an annotation query', () => {
    const saved = {
      name: 'Insights',
      enable: true,
      iconColor: 'orange',
      target: { refId: 'Anno', source: 'iam.amazonaws.com' },
    } as unknown as AnnotationQuery<CloudTrailInsightsQuery>;
    const prepared = annotationSupport.prepareAnnotation!(saved);
    expect(prepared.target).toMatchObject({
      refId: 'Anno',
      queryType: 'annotations',
      eventSource: 'iam.amazonaws.com',
    });
    expect(annotationSupport.prepareQuery!(prepared)).toMatchObject({ queryType: 'annotations' });
  });

  it('gives an annotation saved without a target the default query, and skips a missing target', () => {
    const prepared = annotationSupport.prepareAnnotation!({ name: 'x', enable: true, iconColor: 'red' });
    expect(prepared.target).toMatchObject({ queryType: 'annotations', refId: 'Anno' });
    expect(annotationSupport.prepareQuery!({ name: 'x', enable: true, iconColor: 'red' })).toBeUndefined();
  });
});
