import { QueryError } from '../../sdk/types';
import { AwsCallError, toQueryError } from './awsErrors';
import { serviceError } from '../testing/sdkErrors';

test('a QueryError passes through unchanged', () => {
  const original = new QueryError('mine', 'plugin', 418);
  expect(toQueryError(original, 'X', 'y')).toBe(original);
});

test('failed calls keep the operation and the SDK error name (for typed checks such as InsightNotEnabled)', () => {
  const error = toQueryError(serviceError('InsightNotEnabledException', 400), 'GetInsightSelectors', 'x');
  expect(error).toBeInstanceOf(AwsCallError);
  expect(error).toMatchObject({ operation: 'GetInsightSelectors', awsName: 'InsightNotEnabledException' });
});
