/**
 * Validation of a query against the rules of the ListInsightsMetricData API model, with the
 * exact messages users see in the editor and in per-query errors.
 */
import {
  CloudTrailInsightsQueryFields,
  DATA_TYPES,
  EVENT_CATEGORIES,
  EVENTS_FORMATS,
  EVENT_STATES,
  INSIGHT_TYPES,
  PERIODS_SECONDS,
  QUERY_TYPES,
  VALUE_UNITS,
  isDataType,
  isInsightType,
  isMetricsQuery,
  isOneOf,
  isPeriodSeconds,
  type QueryType,
} from './queryModel';

export const EVENT_SOURCE_PATTERN = /^[a-z0-9_-]+\.amazonaws\.com$/;
export const EVENT_SOURCE_MAX_LENGTH = 256;
export const EVENT_NAME_PATTERN = /^[A-Za-z0-9_]+$/;
export const EVENT_NAME_MAX_LENGTH = 128;
export const ERROR_CODE_MAX_LENGTH = 128;
/**
 * CloudTrail's ErrorCode pattern `^[\w\d\s_.,\-:\[\]]+$` (ListInsightsMetricData's model) as AWS's
 * Java validator reads it: `\w` and `\s` are ASCII only there, so the class is spelled out (JavaScript's
 * `\s` would also accept Unicode spaces that AWS refuses). The simulator reads it the same way.
 */
export const ERROR_CODE_PATTERN = /^[A-Za-z0-9_ \t\n\x0B\f\r.,:[\]-]+$/;
/** The pattern as CloudTrail's model writes it, for messages. */
export const ERROR_CODE_MODEL_PATTERN = '^[\\w\\d\\s_.,\\-:\\[\\]]+$';
/** AWS region names: partition prefix, area, number (e.g. us-east-1, us-gov-west-1, cn-north-1). */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** Trail name or ARN: 3..128 chars of letters, digits, `._-`, starting and ending with a letter or digit. */
export const TRAIL_NAME_PATTERN =
  /^(arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/)?[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;

export type ValidatedField = keyof CloudTrailInsightsQueryFields | 'queryType';

/** What the validator reads: the query's fields and its type (absent = metrics). */
export type ValidatedQuery = Partial<CloudTrailInsightsQueryFields> & { queryType?: QueryType | string };

export interface ValidationIssue {
  field: ValidatedField;
  message: string;
}

const list = (values: readonly unknown[]) => values.join(', ');

/** True when the user has filled in enough to run the query (used to skip, not fail, drafts). */
export function isQueryComplete(query: ValidatedQuery): boolean {
  // Events and annotations filter optionally: an empty one lists every Insight.
  if (!isMetricsQuery(query)) {
    return true;
  }
  if (!query.eventSource || !query.eventName) {
    return false;
  }
  return query.insightType !== 'ApiErrorRateInsight' || Boolean(query.errorCode);
}

export interface ValidateOptions {
  /**
   * In the editor, values such as `$region` are template variables that Grafana replaces later:
   * skip the pattern and length rules for them (the backend validates the interpolated query).
   */
  allowTemplateVariables?: boolean;
}

const TEMPLATE_VARIABLE = /\$\{?[A-Za-z0-9_]|\[\[/;

/** True when a value contains a Grafana template variable ($var, ${var}, [[var]]). */
export function hasTemplateVariable(value: string | undefined): boolean {
  return Boolean(value && TEMPLATE_VARIABLE.test(value));
}

/** Every rule the query breaks, in field order; an empty array means the query is valid. */
export function validateQuery(query: ValidatedQuery, options: ValidateOptions = {}): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (field: ValidatedField, message: string) => {
    const value = query[field];
    if (!(options.allowTemplateVariables && typeof value === 'string' && hasTemplateVariable(value))) {
      issues.push({ field, message });
    }
  };
  if (query.queryType !== undefined && !isOneOf(QUERY_TYPES, query.queryType)) {
    add('queryType', `Unknown query type "${String(query.queryType)}"; use one of ${list(QUERY_TYPES)}.`);
    return issues;
  }
  if (isMetricsQuery(query)) {
    validateMetricsFields(query, add);
  } else {
    validateEventFilters(query, add);
  }
  if (query.region && !REGION_PATTERN.test(query.region)) {
    add('region', `Region "${query.region}" is not an AWS region name such as us-east-1.`);
  }
  return issues;
}

type AddIssue = (field: ValidatedField, message: string) => void;

/** Event source and event name: required for metrics, optional filters for events. */
function validateEventIdentity(query: ValidatedQuery, add: AddIssue, required: boolean) {
  const eventSource = query.eventSource ?? '';
  if (eventSource === '') {
    if (required) {
      add('eventSource', 'Event source is required, e.g. iam.amazonaws.com.');
    }
  } else if (eventSource.length > EVENT_SOURCE_MAX_LENGTH) {
    add('eventSource', `Event source must be at most ${EVENT_SOURCE_MAX_LENGTH} characters.`);
  } else if (!EVENT_SOURCE_PATTERN.test(eventSource)) {
    add(
      'eventSource',
      `Event source "${eventSource}" must be a service endpoint of lowercase letters, digits, "-" or "_" ending in .amazonaws.com, e.g. iam.amazonaws.com.`
    );
  }

  const eventName = query.eventName ?? '';
  if (eventName === '') {
    if (required) {
      add('eventName', 'Event name is required, e.g. CreateUser.');
    }
  } else if (eventName.length > EVENT_NAME_MAX_LENGTH) {
    add('eventName', `Event name must be at most ${EVENT_NAME_MAX_LENGTH} characters.`);
  } else if (!EVENT_NAME_PATTERN.test(eventName)) {
    add('eventName', `Event name "${eventName}" may contain only letters, digits and "_", e.g. CreateUser.`);
  }
}

function validateMetricsFields(query: ValidatedQuery, add: AddIssue) {
  validateEventIdentity(query, add, true);

  if (!isInsightType(query.insightType)) {
    add('insightType', `Insight type must be one of ${list(INSIGHT_TYPES)}.`);
  }

  const errorCode = query.errorCode ?? '';
  if (query.insightType === 'ApiErrorRateInsight') {
    if (errorCode === '') {
      add('errorCode', 'Error code is required for the API error rate insight type, e.g. AccessDenied.');
    } else {
      validateErrorCode(errorCode, add);
    }
  } else if (errorCode !== '') {
    add('errorCode', 'Error code applies only to the API error rate insight type; clear it or switch the type.');
  }

  if (query.period !== 'auto' && !isPeriodSeconds(query.period)) {
    add('period', `Period must be auto or one of ${list(PERIODS_SECONDS)} seconds.`);
  }

  if (!isDataType(query.dataType)) {
    add('dataType', `Data type must be one of ${list(DATA_TYPES)}.`);
  }

  if (query.valueUnit !== undefined && !isOneOf(VALUE_UNITS, query.valueUnit)) {
    add('valueUnit', `Value unit must be one of ${list(VALUE_UNITS)}.`);
  }

  validateScope(query, add);
}

/** The first character CloudTrail's ErrorCode pattern refuses, shown as itself (or its code point when invisible). */
function refusedCharacter(errorCode: string): string {
  // Called only when the pattern failed, so some character fails it alone.
  const bad = [...errorCode].find((c) => !ERROR_CODE_PATTERN.test(c))!;
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(bad)
    ? `"${bad}"`
    : `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** ≤ 128 characters of CloudTrail's ErrorCode pattern; AWS answers anything else with InvalidParameterException. */
function validateErrorCode(errorCode: string, add: AddIssue) {
  if (errorCode.length > ERROR_CODE_MAX_LENGTH) {
    add('errorCode', `Error code must be at most ${ERROR_CODE_MAX_LENGTH} characters.`);
  } else if (!ERROR_CODE_PATTERN.test(errorCode)) {
    add(
      'errorCode',
      `Error code "${errorCode}" may contain only letters, digits, spaces and _ . , - : [ ] (CloudTrail's pattern ${ERROR_CODE_MODEL_PATTERN}); ${refusedCharacter(errorCode)} is not allowed. Use the code as CloudTrail reports it, e.g. AccessDenied.`
    );
  }
}

/** The scope: management events (no trail), or data events on the trail named by name or ARN. */
function validateScope(query: ValidatedQuery, add: AddIssue) {
  const category = query.eventCategory;
  if (category !== undefined && !isOneOf(EVENT_CATEGORIES, category)) {
    add('eventCategory', `Scope must be one of ${list(EVENT_CATEGORIES)} (events).`);
    return;
  }
  const trailName = query.trailName ?? '';
  if (category === 'data' && trailName === '') {
    add(
      'trailName',
      'Data events need a trail: choose the trail whose data-event Insights to read, by name or ARN (e.g. arn:aws:cloudtrail:us-east-1:123456789012:trail/data-events).'
    );
  } else if (category === 'management' && trailName !== '') {
    add(
      'trailName',
      'A trail applies only to the data events scope; clear the trail or switch the scope to data events.'
    );
  } else if (trailName !== '' && !TRAIL_NAME_PATTERN.test(trailName)) {
    add('trailName', `Trail name "${trailName}" must be 3-128 letters, digits, ".", "_" or "-", or a trail ARN.`);
  }
}

/** Events and annotations: every filter optional, each checked when given. */
function validateEventFilters(query: ValidatedQuery, add: AddIssue) {
  validateEventIdentity(query, add, false);

  if (query.insightType !== undefined && !isInsightType(query.insightType)) {
    add('insightType', `Insight type filter must be empty (all types) or one of ${list(INSIGHT_TYPES)}.`);
  }

  const errorCode = query.errorCode ?? '';
  if (errorCode !== '' && errorCode.length <= ERROR_CODE_MAX_LENGTH && query.insightType === 'ApiCallRateInsight') {
    add('errorCode', 'Only API error rate Insights have an error code; clear it or choose that insight type.');
  } else if (errorCode !== '') {
    validateErrorCode(errorCode, add);
  }

  if (query.state !== undefined && !isOneOf(EVENT_STATES, query.state)) {
    add('state', `State must be one of ${list(EVENT_STATES)}.`);
  }

  if (query.eventsFormat !== undefined && !isOneOf(EVENTS_FORMATS, query.eventsFormat)) {
    add('eventsFormat', `Format must be one of ${list(EVENTS_FORMATS)}.`);
  }

  validateScope(query, add);
}

/** All issues as one sentence-per-issue message (for per-query errors). */
export function formatIssues(issues: ValidationIssue[]): string {
  return issues.map((issue) => issue.message).join(' ');
}
