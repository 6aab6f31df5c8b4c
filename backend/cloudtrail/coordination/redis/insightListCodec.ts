/**
 * An Insights list (insightEvents.ts) as Redis keeps it: versioned JSON. It is read back only when
 * every field has the type the list has; a damaged or foreign value is a miss, never rows in a
 * panel. Lists hold what LookupEvents said about Insights (names, times, averages, the top user
 * identities and agents) and no credentials.
 */
import {
  ATTRIBUTES,
  type Attribute,
  type Attributions,
  type Contributor,
  type Insight,
  type InsightList,
} from '../../core/insights';

const VERSION = 1;

export function encodeInsightList(list: InsightList): string {
  return JSON.stringify({ v: VERSION, list });
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';
// Number.isFinite is false for anything but a number (JSON's 1e400 is Infinity).
const isTime = (v: unknown): v is number => Number.isFinite(v);
const isCount = (v: unknown): v is number => Number.isFinite(v) && (v as number) >= 0;

/** An optional field: absent, or valid. */
const optional = (v: unknown, valid: (v: unknown) => boolean) => v === undefined || valid(v);

function decodeContributors(raw: unknown): Contributor[] | undefined {
  if (!Array.isArray(raw)) {
    return undefined;
  }
  const contributors: Contributor[] = [];
  for (const c of raw) {
    if (!isObject(c) || !isText(c.value) || !isCount(c.share) || c.share > 1) {
      return undefined;
    }
    contributors.push({ value: c.value, share: c.share });
  }
  return contributors;
}

/** Attributions, or null when the value is not one (undefined means none were stored). */
function decodeAttributions(raw: unknown): Attributions | undefined | null {
  if (raw === undefined) {
    return undefined;
  }
  if (!isObject(raw)) {
    return null;
  }
  const attributions: Attributions = {};
  for (const [attribute, value] of Object.entries(raw)) {
    const contributors = decodeContributors(value);
    if (!(ATTRIBUTES as readonly string[]).includes(attribute) || !contributors) {
      return null;
    }
    attributions[attribute as Attribute] = contributors;
  }
  return attributions;
}

function decodeInsight(raw: unknown): Insight | undefined {
  if (!isObject(raw)) {
    return undefined;
  }
  const valid =
    isText(raw.id) &&
    optional(raw.eventId, isText) &&
    isTime(raw.startMs) &&
    optional(raw.endMs, isTime) &&
    isText(raw.eventSource) &&
    isText(raw.eventName) &&
    isText(raw.insightType) &&
    optional(raw.errorCode, isText) &&
    optional(raw.baselineAverage, isCount) &&
    optional(raw.insightAverage, isCount);
  const attributions = decodeAttributions(raw.attributions);
  if (!valid || attributions === null) {
    return undefined;
  }
  // Only the fields an Insight has: nothing else stored under the key reaches a frame.
  return {
    id: raw.id as string,
    eventId: raw.eventId as string | undefined,
    startMs: raw.startMs as number,
    endMs: raw.endMs as number | undefined,
    eventSource: raw.eventSource as string,
    eventName: raw.eventName as string,
    insightType: raw.insightType as string,
    errorCode: raw.errorCode as string | undefined,
    baselineAverage: raw.baselineAverage as number | undefined,
    insightAverage: raw.insightAverage as number | undefined,
    attributions,
  };
}

export function decodeInsightList(text: string | null | undefined): InsightList | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || parsed.v !== VERSION || !isObject(parsed.list)) {
    return undefined;
  }
  const { insights, fetchedAtMs, truncated, pages } = parsed.list;
  if (
    !Array.isArray(insights) ||
    !isTime(fetchedAtMs) ||
    typeof truncated !== 'boolean' ||
    !optional(pages, (p) => Number.isInteger(p) && (p as number) >= 0)
  ) {
    return undefined;
  }
  const decoded: Insight[] = [];
  for (const raw of insights) {
    const insight = decodeInsight(raw);
    if (!insight) {
      return undefined;
    }
    decoded.push(insight);
  }
  return { insights: decoded, fetchedAtMs, truncated, pages: pages as number | undefined };
}
