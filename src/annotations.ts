/**
 * Annotations: CloudTrail Insights events (start/end of unusual activity) drawn on panels.
 * The backend answers `queryType: 'annotations'` with time/timeEnd/title/text/tags frames,
 * which Grafana's standard frame-to-event processing understands.
 */
import type { AnnotationQuery, AnnotationSupport } from '@grafana/data';

import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { migrate } from './queryMigration';
import { QUERY_MODEL_VERSION } from './shared/queryModel';
import type { CloudTrailInsightsQuery } from './types';

const ANNOTATION_REF_ID = 'Anno';

/** Every Insight of the default region: all event sources, names, insight types and states. */
export function defaultAnnotationQuery(): CloudTrailInsightsQuery {
  return migrate({
    refId: ANNOTATION_REF_ID,
    queryType: 'annotations',
    eventSource: '',
    eventName: '',
    modelVersion: QUERY_MODEL_VERSION,
  } as CloudTrailInsightsQuery);
}

export const annotationSupport: AnnotationSupport<CloudTrailInsightsQuery> = {
  QueryEditor: AnnotationQueryEditor,
  getDefaultQuery: defaultAnnotationQuery,
  prepareAnnotation(json: AnnotationQuery<CloudTrailInsightsQuery>) {
    const saved = json.target ?? defaultAnnotationQuery();
    // Marked as an annotation before migrating: metrics defaults (the insight type) do not apply.
    const target = migrate({ ...saved, queryType: 'annotations', refId: saved.refId ?? ANNOTATION_REF_ID });
    return { ...json, target };
  },
  prepareQuery(annotation: AnnotationQuery<CloudTrailInsightsQuery>) {
    return annotation.target ? { ...annotation.target, queryType: 'annotations' } : undefined;
  },
};
