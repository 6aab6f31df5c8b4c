// Request validation as the CloudTrail model describes it (patterns, lengths, enums, ranges). AWS does
// not document which exception each rule raises; the choices are listed in README.md and made here.
import { ApiError, invalidParameter, serialization } from './errors';

export type Input = Record<string, unknown>;
type Fail = (message: string) => ApiError;

export function asInput(body: unknown): Input {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw serialization('Request body must be a JSON object.');
  }
  return body as Input;
}

export function readString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw serialization(`Value of ${name} must be a string.`);
  }
  return value;
}

export function readInteger(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw serialization(`Value of ${name} must be an integer.`);
  }
  return value;
}

/** awsJson timestamps are epoch seconds (possibly fractional); returned as epoch ms. */
export function readTimestamp(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw serialization(`Value of ${name} must be a timestamp in epoch seconds.`);
  }
  return Math.round(value * 1000);
}

export function requireString(input: Input, name: string, fail: Fail = invalidParameter): string {
  const value = readString(input, name);
  if (value === undefined) {
    throw fail(`${name} is required.`);
  }
  return value;
}

export function checkLength(
  name: string,
  value: string,
  min: number,
  max: number,
  fail: Fail = invalidParameter
): void {
  if (value.length < min || value.length > max) {
    throw fail(`${name} must be between ${min} and ${max} characters long; got ${value.length}.`);
  }
}

export function checkPattern(name: string, value: string, pattern: RegExp, fail: Fail = invalidParameter): void {
  if (!pattern.test(value)) {
    throw fail(`${name} '${value}' does not match the pattern ${pattern.source}.`);
  }
}

export function checkEnum<T extends string>(
  name: string,
  value: string,
  allowed: readonly T[],
  fail: Fail = invalidParameter
): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw fail(`${name} '${value}' is not valid; valid values: ${allowed.join(', ')}.`);
  }
  return value as T;
}

export function checkRange(name: string, value: number, min: number, max: number, fail: Fail = invalidParameter): void {
  if (value < min || value > max) {
    throw fail(`${name} must be between ${min} and ${max}; got ${value}.`);
  }
}

// The AWS service model's rules, written from botocore's cloudtrail service-2.json on purpose
// rather than imported from src/shared: the simulator stands in for AWS, so it must not share
// the plugin's definitions — a mistake there would then pass every end-to-end test unnoticed.
export const EVENT_SOURCE_PATTERN = /^[a-z0-9_-]+\.amazonaws\.com$/;
export const EVENT_NAME_PATTERN = /^[A-Za-z0-9_]+$/;
/** ErrorCode of ListInsightsMetricData (≤128) as the model writes it... */
export const ERROR_CODE_PATTERN_TEXT = '^[\\w\\d\\s_.,\\-:\\[\\]]+$';
/** ...and as AWS's (Java) validator reads it: \w and \s are ASCII-only there, unlike in JavaScript. */
export const ERROR_CODE_PATTERN = /^[A-Za-z0-9_ \t\n\x0B\f\r.,\-:[\]]+$/;
/** ResourceArn and EventDataStoreArn (3-256). */
export const RESOURCE_ARN_PATTERN = /^[a-zA-Z0-9._/\-:]+$/;
/** A trail's ARN (the model's documented format). */
export const TRAIL_ARN_PATTERN = /^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/.+$/;
export const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'] as const;
export const DATA_TYPES = ['FillWithZeros', 'NonZeroData'] as const;
export const PERIODS = [60, 300, 3600] as const;

/** Trail names: 3-128 chars of [A-Za-z0-9._-], starting and ending alphanumeric, no adjacent
 *  punctuation, not an IP address; or a trail ARN. */
export function checkTrailName(value: string, fail: Fail): void {
  if (TRAIL_ARN_PATTERN.test(value)) {
    return;
  }
  const valid =
    value.length >= 3 &&
    value.length <= 128 &&
    /^[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]$/.test(value) &&
    !/[._-]{2}/.test(value) &&
    !/^\d{1,3}(\.\d{1,3}){3}$/.test(value);
  if (!valid) {
    throw fail(
      `Trail name '${value}' is not valid: use 3-128 letters, digits, periods, underscores or dashes, start and end with a letter or digit, no adjacent punctuation, not an IP address.`
    );
  }
}
