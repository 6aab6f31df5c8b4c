/**
 * Annotations: CloudTrail Insights events (start/end of unusual activity) drawn on panels.
 * The backend answers `queryType: 'annotations'` with time/timeEnd/title/text/tags frames,
 * which Grafana's standard frame-to-event processing understands.
 */
import type { AnnotationQuery, AnnotationSupport } from '@grafana/data';

import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { migrate } from './queryMigration';
import { DEFAULT_QUERY } from './shared/queryModel';
import type { CloudTrailInsightsQuery } from './types';

const ANNOTATION_REF_ID = 'Anno';

export function defaultAnnotationQuery(): CloudTrailInsightsQuery {
  return { ...DEFAULT_QUERY, refId: ANNOTATION_REF_ID, queryType: 'annotations', eventSource: '', eventName: '' };
}

export const annotationSupport: AnnotationSupport<CloudTrailInsightsQuery> = {
  QueryEditor: AnnotationQueryEditor,
  getDefaultQuery: defaultAnnotationQuery,
  prepareAnnotation(json: AnnotationQuery<CloudTrailInsightsQuery>) {
    const saved = json.target ?? defaultAnnotationQuery();
    const target = migrate({ ...saved, refId: saved.refId ?? ANNOTATION_REF_ID });
    return { ...json, target: { ...target, queryType: 'annotations' } };
  },
  prepareQuery(annotation: AnnotationQuery<CloudTrailInsightsQuery>) {
    return annotation.target ? { ...annotation.target, queryType: 'annotations' } : undefined;
  },
};
