import { QueryError } from '../../sdk/types';
import { PageValidator, type PageExpectation, type RawPage } from './pageValidation';

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);
const MIN = 60_000;
const expectation: PageExpectation = {
  periodSeconds: 60,
  range: { startMs: T0, endMs: T0 + 10 * MIN },
  maxPoints: 5,
  subject: 'ListInsightsMetricData ec2.amazonaws.com RunInstances ApiCallRateInsight',
};
const at = (...minutes: number[]) => minutes.map((m) => new Date(T0 + m * MIN));

function refusal(page: RawPage, validator = new PageValidator(expectation)): QueryError {
  try {
    validator.accept(page);
  } catch (error) {
    expect(error).toBeInstanceOf(QueryError);
    return error as QueryError;
  }
  throw new Error('the page was accepted');
}

test('a good page comes back with epoch ms timestamps', () => {
  expect(new PageValidator(expectation).accept({ Timestamps: at(0, 1, 9), Values: [0, 2.5, 7] })).toEqual({
    Timestamps: [T0, T0 + MIN, T0 + 9 * MIN],
    Values: [0, 2.5, 7],
  });
  // awsJson may leave out empty lists.
  expect(new PageValidator(expectation).accept({})).toEqual({ Timestamps: [], Values: [] });
});

test.each([
  ['null', null, '(null) at 2026-11-30T10:01:00Z'],
  ['a "NaN" string', 'NaN', '("NaN") at 2026-11-30T10:01:00Z'],
  ['NaN (the SDK parses "NaN" into it)', NaN, '(NaN) at 2026-11-30T10:01:00Z'],
  ['Infinity', Infinity, '(Infinity) at'],
  ['-Infinity', -Infinity, '(-Infinity) at'],
  ['an object', { n: 1 }, '(a object) at'],
])('a value that is %s is refused, naming it and its time', (_, bad, where) => {
  const error = refusal({ Timestamps: at(0, 1), Values: [1, bad] });
  expect(error).toMatchObject({ errorSource: 'downstream', status: 502 });
  expect(error.message).toContain(`CloudTrail returned a value that is not a finite number ${where}`);
  expect(error.message).toContain('for ListInsightsMetricData ec2.amazonaws.com RunInstances ApiCallRateInsight');
});

test('a negative count is refused', () => {
  expect(refusal({ Timestamps: at(0), Values: [-1] }).message).toContain(
    'a negative count (-1) at 2026-11-30T10:00:00Z'
  );
});

test('types: Values or Timestamps that are not lists, unequal lengths, timestamps that are not times', () => {
  expect(refusal({ Timestamps: at(0, 1), Values: 'oops' }).message).toContain(
    'Values that are not a list of numbers (the string "oops")'
  );
  expect(refusal({ Timestamps: at(0), Values: { 0: 1 } }).message).toContain(
    'Values that are not a list of numbers (a object)'
  );
  expect(refusal({ Timestamps: 17, Values: [1] }).message).toContain('Timestamps that are not a list (a number)');
  expect(refusal({ Timestamps: at(0, 1), Values: [1] }).message).toContain('a page with 2 timestamps but 1 values');
  expect(refusal({ Timestamps: [at(0)[0], null], Values: [1, 2] }).message).toContain(
    'a timestamp that is not a time (null) at position 1'
  );
  expect(refusal({ Timestamps: [new Date(NaN)], Values: [1] }).message).toContain('a timestamp that is not a time');
});

test('timestamps off the period grid or outside the requested range are refused', () => {
  expect(refusal({ Timestamps: [new Date(T0 + 17_000)], Values: [1] }).message).toContain(
    'a timestamp off the 60 s period grid (2026-11-30T10:00:17Z)'
  );
  expect(refusal({ Timestamps: at(10), Values: [1] }).message).toContain(
    'a timestamp outside the requested range 2026-11-30T10:00:00Z–2026-11-30T10:10:00Z (2026-11-30T10:10:00Z)'
  );
  expect(refusal({ Timestamps: at(-1), Values: [1] }).message).toContain('outside the requested range');
  // A 300 s grid is checked against 300 s, not 60 s.
  const fiveMinutes = new PageValidator({ ...expectation, periodSeconds: 300 });
  expect(refusal({ Timestamps: at(1), Values: [1] }, fiveMinutes).message).toContain('off the 300 s period grid');
});

test('more points than MaxResults in one page are refused', () => {
  expect(refusal({ Timestamps: at(0, 1, 2, 3, 4, 5), Values: [1, 1, 1, 1, 1, 1] }).message).toContain(
    'a page of 6 points, more than the 5 asked for (MaxResults)'
  );
});

test('duplicates: an identical one is tolerated, within a page and across pages; a conflicting one is refused', () => {
  const validator = new PageValidator(expectation);
  validator.accept({ Timestamps: at(0, 0, 1), Values: [3, 3, 4] });
  validator.accept({ Timestamps: at(1, 2), Values: [4, 5] });
  expect(refusal({ Timestamps: at(2), Values: [6] }, validator).message).toContain(
    'two different values (5 and 6) for the same time 2026-11-30T10:02:00Z'
  );
  expect(refusal({ Timestamps: at(3, 3), Values: [1, 2] }).message).toContain('two different values (1 and 2)');
});

test('a first page in time order is checked against the pages after it', () => {
  const validator = new PageValidator(expectation);
  validator.accept({ Timestamps: at(0, 1, 2), Values: [3, 4, 5] });
  validator.accept({ Timestamps: at(2, 3), Values: [5, 6] });
  expect(refusal({ Timestamps: at(1), Values: [9] }, validator).message).toContain(
    'two different values (4 and 9) for the same time 2026-11-30T10:01:00Z'
  );
  const fresh = new PageValidator(expectation);
  fresh.accept({ Timestamps: at(0, 1), Values: [3, 4] });
  expect(refusal({ Timestamps: at(0), Values: [8] }, fresh).message).toContain('two different values (3 and 8)');
});
