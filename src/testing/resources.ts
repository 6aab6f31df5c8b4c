/**
 * Canned resource answers for editor tests, served through the data source's own getResource
 * (the only thing the tests replace), so the real loading, error and reload logic runs.
 */
import type { ResourceOption } from '../shared/resources';
import type { DataSource } from '../datasource';

export type ResourceAnswers = Record<
  string,
  (params: Record<string, string>) => ResourceOption[] | Promise<ResourceOption[]>
>;

const options = (...values: string[]): ResourceOption[] => values.map((value) => ({ value, label: value }));

export const defaultAnswers: ResourceAnswers = {
  regions: () => options('us-east-1', 'us-west-2', 'eu-west-1'),
  'event-sources': () => options('iam.amazonaws.com', 's3.amazonaws.com'),
  'event-names': (params) =>
    params.eventSource === 's3.amazonaws.com'
      ? options('PutObject', 'DeleteObject')
      : options('CreateUser', 'DeleteUser'),
  'error-codes': () => options('AccessDenied', 'ThrottlingException'),
  trails: () => options('management-trail'),
};

/** A failing route, the way Grafana's fetch rejects: status plus the backend's `{error}` body. */
export const failWith = (status: number, error: string) => () => Promise.reject({ status, data: { error } });

export function answerResources(datasource: DataSource, answers: Partial<ResourceAnswers> = {}) {
  const all = { ...defaultAnswers, ...answers };
  return jest.spyOn(datasource, 'getResource').mockImplementation(async (path: string, params?: unknown) => {
    const answer = all[path];
    if (!answer) {
      throw { status: 404, data: { error: `no route ${path}` } };
    }
    return answer((params ?? {}) as Record<string, string>);
  });
}
