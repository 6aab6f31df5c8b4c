/**
 * Dispatch by query type, as grafana-plugin-sdk-go's `datasource.QueryTypeMux` does: one handler
 * per type of the query model (src/shared/queryModel.ts), chosen after the query is parsed (a saved
 * query without a type is a metrics query), so adding a type means adding one handler here.
 */
import type { CloudTrailInsightsQuery, QueryType } from '../../../src/shared/queryModel';

/** A handler gets the parsed query narrowed to its type. */
export type QueryTypeHandlers<R> = {
  [T in QueryType]: (model: CloudTrailInsightsQuery & { queryType?: T }) => Promise<R>;
};

export function queryTypeMux<R>(handlers: QueryTypeHandlers<R>) {
  return (model: CloudTrailInsightsQuery): Promise<R> => {
    const handler = handlers[model.queryType ?? 'metrics'] as (m: CloudTrailInsightsQuery) => Promise<R>;
    return handler(model);
  };
}
