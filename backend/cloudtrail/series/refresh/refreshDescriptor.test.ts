import { decodeDescriptor, encodeDescriptor } from './refreshDescriptor';

const params = {
  EventSource: 'ec2.amazonaws.com',
  EventName: 'RunInstances',
  InsightType: 'ApiErrorRateInsight',
  ErrorCode: 'AccessDenied',
  Period: 300,
  DataType: 'FillWithZeros',
} as const;

describe('refresh descriptors (the shared work list members)', () => {
  it('round-trips the series fields and span, and nothing else', () => {
    const member = encodeDescriptor({ params, period: 300, spanMs: 3_600_000 });
    expect(decodeDescriptor(member)).toEqual({ params, period: 300, spanMs: 3_600_000 });
    expect(member).not.toMatch(/secret|accessKey|credentials/i);
  });

  it('ignores members that are not a valid series (never sent as a call)', () => {
    const good = JSON.parse(encodeDescriptor({ params, period: 300, spanMs: 60_000 }));
    for (const bad of [
      'not json',
      'null',
      '[]',
      JSON.stringify({ ...good, Period: 120 }),
      JSON.stringify({ ...good, DataType: 'Other' }),
      JSON.stringify({ ...good, InsightType: 'X' }),
      JSON.stringify({ ...good, EventName: '' }),
      JSON.stringify({ ...good, EventSource: 7 }),
      JSON.stringify({ ...good, span: -1 }),
      JSON.stringify({ ...good, span: 'x' }),
      JSON.stringify({ ...good, ErrorCode: 'x'.repeat(3_000) }),
    ]) {
      expect(decodeDescriptor(bad)).toBeUndefined();
    }
  });
});
