/**
 * The top contributors CloudTrail names in an Insights event (`insightContext.attributions`):
 * per attribute (user identity ARN, user agent, error code) a list of values with their average
 * calls or errors per minute during the Insight. A value's share is its part of the Insight's
 * own average (CloudTrail lists only the top values, so shares may add up to less than 100%).
 */
import { ATTRIBUTES, type Attribute, type Attributions, type Contributor } from '../core/insights';
/** CloudTrail lists at most five values per attribute; keep that many. */
const MAX_CONTRIBUTORS = 5;

const finite = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/** Reads the raw attributions list; malformed entries are skipped rather than failing the event. */
export function parseAttributions(raw: unknown, insightAverage: number | undefined): Attributions | undefined {
  if (!Array.isArray(raw)) {
    return undefined;
  }
  const result: Attributions = {};
  for (const entry of raw as Array<Record<string, unknown>>) {
    const attribute = entry?.attribute as Attribute;
    if (!ATTRIBUTES.includes(attribute) || !Array.isArray(entry.insight)) {
      continue;
    }
    const values = (entry.insight as Array<Record<string, unknown>>)
      .map((item) => ({ value: typeof item?.value === 'string' ? item.value : '', average: finite(item?.average) }))
      .filter((item): item is { value: string; average: number } => item.value !== '' && item.average !== undefined);
    const total = insightAverage && insightAverage > 0 ? insightAverage : values.reduce((sum, v) => sum + v.average, 0);
    if (!values.length || total <= 0) {
      continue;
    }
    result[attribute] = values
      .sort((a, b) => b.average - a.average)
      .slice(0, MAX_CONTRIBUTORS)
      .map((v) => ({ value: v.value, share: Math.min(1, v.average / total) }));
  }
  return Object.keys(result).length ? result : undefined;
}

/** "arn:aws:iam::1:role/a (62%), arn:aws:iam::1:role/b (38%)"; empty when CloudTrail named none. */
export function formatContributors(contributors: Contributor[] | undefined): string {
  return (contributors ?? []).map((c) => `${c.value} (${Math.round(c.share * 100)}%)`).join(', ');
}
