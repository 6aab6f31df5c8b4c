// Hostile answers a misbehaving endpoint (or something in front of it) can send: ListInsightsMetricData
// pages that parse as JSON but are not real data (`corruptPage`), and a proxy's HTML error page
// (`htmlError`). The corruption is applied to a real page, so everything else about it stays valid.

export const CORRUPT_PAGE_KINDS = [
  'nullValue',
  'nanString',
  'infinityString',
  'offGridTimestamp',
  'conflictingDuplicate',
  'valuesNotList',
  'oversized',
] as const;
export type CorruptPageKind = (typeof CORRUPT_PAGE_KINDS)[number];

/** Points in an `oversized` page: ~40 MB of JSON, far beyond the 21,600 MaxResults allows. */
export const OVERSIZED_POINTS = 3_000_000;

export interface MetricAnswer {
  Timestamps: number[];
  Values: number[];
  [field: string]: unknown;
}

/** A body too big to build at once: written piece by piece, without a Content-Length (chunked). */
export type StreamedBody = () => Iterable<string>;

/**
 * The page with one corruption applied, in the middle of its points (a page without points gets one
 * first, at its first bucket). `oversized` returns a streamed body of OVERSIZED_POINTS points.
 */
export function corruptPage(
  kind: CorruptPageKind,
  answer: MetricAnswer,
  periodSeconds: number,
  firstBucketSeconds: number
): Record<string, unknown> | StreamedBody {
  const timestamps: unknown[] = [...answer.Timestamps];
  const values: unknown[] = [...answer.Values];
  if (!timestamps.length) {
    timestamps.push(firstBucketSeconds);
    values.push(1);
  }
  const mid = Math.floor(timestamps.length / 2);
  switch (kind) {
    case 'nullValue':
      values[mid] = null;
      break;
    case 'nanString':
      values[mid] = 'NaN';
      break;
    case 'infinityString':
      values[mid] = 'Infinity';
      break;
    case 'offGridTimestamp':
      timestamps[mid] = (timestamps[mid] as number) + 17;
      break;
    case 'conflictingDuplicate':
      timestamps.splice(mid + 1, 0, timestamps[mid]);
      values.splice(mid + 1, 0, (values[mid] as number) + 1);
      break;
    case 'valuesNotList':
      return { ...answer, Timestamps: timestamps, Values: values.join(',') };
    case 'oversized':
      return oversizedBody(answer, periodSeconds, timestamps[0] as number);
  }
  return { ...answer, Timestamps: timestamps, Values: values };
}

function oversizedBody(answer: MetricAnswer, periodSeconds: number, first: number): StreamedBody {
  const { Timestamps: _t, Values: _v, NextToken: _n, ...echo } = answer;
  const chunk = 100_000;
  return function* () {
    const fields = JSON.stringify(echo).slice(1, -1);
    yield `{${fields}${fields ? ',' : ''}"Timestamps":[`;
    for (let i = 0; i < OVERSIZED_POINTS; i += chunk) {
      const n = Math.min(chunk, OVERSIZED_POINTS - i);
      const part = Array.from({ length: n }, (_, k) => first + (i + k) * periodSeconds);
      yield (i ? ',' : '') + part.join(',');
    }
    yield '],"Values":[';
    for (let i = 0; i < OVERSIZED_POINTS; i += chunk) {
      yield (i ? ',' : '') + new Array(Math.min(chunk, OVERSIZED_POINTS - i)).fill('1').join(',');
    }
    yield ']}';
  };
}

/** What a proxy or load balancer in front of the endpoint answers when its upstream fails. */
export const PROXY_ERROR_PAGE = {
  status: 502,
  contentType: 'text/html',
  body:
    '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n' +
    '<body><center><h1>502 Bad Gateway</h1></center><hr><center>proxy</center></body></html>\n',
};
