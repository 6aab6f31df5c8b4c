import type { AnnotationQuery } from '@grafana/data';

import { annotationSupport, defaultAnnotationQuery } from './annotations';
import type { CloudTrailInsightsQuery } from './types';

describe('annotation support', () => {
  it('starts with an unfiltered annotation query', () => {
    expect(annotationSupport.getDefaultQuery?.()).toEqual(defaultAnnotationQuery());
    expect(defaultAnnotationQuery()).toMatchObject({ queryType: 'annotations', eventSource: '', eventName: '' });
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
