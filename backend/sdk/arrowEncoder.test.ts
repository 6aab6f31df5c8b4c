import { Type, tableFromIPC } from 'apache-arrow';
import { encodeFrame, msToNs } from './arrowEncoder';
import type { Frame } from './frame';

const T0 = Date.UTC(2026, 10, 24, 8, 0, 0, 123);

const frame: Frame = {
  name: 'ConsoleLogin',
  refId: 'A',
  meta: {
    type: 'timeseries-multi',
    typeVersion: [0, 1],
    executedQueryString: 'ListInsightsMetricData',
    notices: [{ severity: 'warning', text: 'partial' }],
    stats: [{ displayName: 'Pages', value: 2 }],
    custom: { region: 'us-east-1' },
  },
  fields: [
    { name: 'time', type: 'time', values: [T0, T0 + 60_000, T0 + 120_000] },
    {
      name: 'value',
      type: 'number',
      values: [1.5, null, 3],
      labels: { eventName: 'ConsoleLogin' },
      config: { displayNameFromDS: 'Console logins', unit: 'short' },
    },
    { name: 'source', type: 'string', values: ['iam', 'iam', 'ec2'] },
    { name: 'baseline', type: 'boolean', values: [true, false, true] },
  ],
};

describe('encodeFrame', () => {
  const bytes = encodeFrame(frame);
  const table = tableFromIPC(bytes);

  it('writes the Arrow IPC file format (magic at both ends), not the stream format', () => {
    const magic = new TextDecoder().decode(bytes.slice(0, 6));
    const trailer = new TextDecoder().decode(bytes.slice(bytes.length - 6));
    expect(magic).toBe('ARROW1');
    expect(trailer).toBe('ARROW1');
  });

  it('writes frame metadata name, refId and meta JSON', () => {
    expect(table.schema.metadata.get('name')).toBe('ConsoleLogin');
    expect(table.schema.metadata.get('refId')).toBe('A');
    expect(JSON.parse(table.schema.metadata.get('meta')!)).toEqual(frame.meta);
  });

  it('uses Timestamp(ns), Float64, Utf8 and Bool — never Dictionary', () => {
    const [time, value, source, baseline] = table.schema.fields;
    expect(time.type.typeId).toBe(Type.Timestamp);
    expect((time.type as unknown as { unit: number }).unit).toBe(3); // TimeUnit.NANOSECOND
    expect(value.type.typeId).toBe(Type.Float);
    expect((value.type as unknown as { precision: number }).precision).toBe(2); // DOUBLE
    expect(source.type.typeId).toBe(Type.Utf8);
    expect(baseline.type.typeId).toBe(Type.Bool);
    for (const field of table.schema.fields) {
      expect(field.type.typeId).not.toBe(Type.Dictionary);
    }
  });

  it('stores timestamps as nanosecond BigInt64 values', () => {
    const raw = table.getChild('time')!.data[0].values as BigInt64Array;
    expect(raw).toBeInstanceOf(BigInt64Array);
    expect(Array.from(raw)).toEqual([
      BigInt(T0) * 1_000_000n,
      BigInt(T0 + 60_000) * 1_000_000n,
      BigInt(T0 + 120_000) * 1_000_000n,
    ]);
  });

  it('writes labels, config and tstype as field metadata and marks nullable fields', () => {
    const value = table.schema.fields[1];
    expect(JSON.parse(value.metadata.get('labels')!)).toEqual({ eventName: 'ConsoleLogin' });
    expect(JSON.parse(value.metadata.get('config')!)).toEqual({ displayNameFromDS: 'Console logins', unit: 'short' });
    expect(value.metadata.get('tstype')).toBe('number');
    expect(value.nullable).toBe(true);
    expect(table.schema.fields[0].nullable).toBe(false);
    expect(table.schema.fields[0].metadata.has('labels')).toBe(false);
  });

  it('round-trips values, nulls included', () => {
    const value = table.getChild('value')!;
    expect([value.get(0), value.get(1), value.get(2)]).toEqual([1.5, null, 3]);
    expect(table.getChild('source')!.toArray()).toEqual(['iam', 'iam', 'ec2']);
    expect([...table.getChild('baseline')!]).toEqual([true, false, true]);
  });

  it('encodes an empty typed frame with zero rows', () => {
    const empty = tableFromIPC(
      encodeFrame({
        name: 'none',
        fields: [
          { name: 'time', type: 'time', values: [] },
          { name: 'value', type: 'number', values: [] },
        ],
      })
    );
    expect(empty.numRows).toBe(0);
    expect(empty.schema.fields.map((f) => f.type.typeId)).toEqual([Type.Timestamp, Type.Float]);
  });

  it('rejects fields of different lengths and non-numeric times', () => {
    expect(() =>
      encodeFrame({
        fields: [
          { name: 't', type: 'time', values: [1] },
          { name: 'v', type: 'number', values: [1, 2] },
        ],
      })
    ).toThrow(/field "v" has 2 values, expected 1/);
    expect(() => encodeFrame({ fields: [{ name: 't', type: 'time', values: ['x' as unknown as number] }] })).toThrow(
      /non-numeric value at row 0/
    );
  });
});

describe('msToNs', () => {
  it('is exact beyond 2^53 nanoseconds, where float multiplication would round', () => {
    expect(msToNs(1_764_000_000_123)).toBe(1_764_000_000_123_000_000n);
    // The trap this avoids: the float product is off by tens of nanoseconds.
    expect(BigInt(1_764_000_000_123 * 1e6)).not.toBe(1_764_000_000_123_000_000n);
    expect(msToNs(1.5)).toBe(1_500_000n);
    expect(msToNs(-1)).toBe(-1_000_000n);
  });
});

describe('encoding cost', () => {
  const times = Array.from({ length: 1_440 }, (_, i) => T0 - 123 + i * 60_000);
  const values = times.map((_, i) => i % 7);
  const series = (meta: Frame['meta'], valueArray: Array<number | null> = values): Frame => ({
    refId: 'A',
    meta,
    fields: [
      { name: 'time', type: 'time', values: times },
      { name: 'value', type: 'number', values: valueArray },
    ],
  });

  it('answers the same arrays and metadata with the bytes it already wrote', () => {
    const first = encodeFrame(series({ executedQueryString: 'q' }));
    expect(encodeFrame(series({ executedQueryString: 'q' }))).toBe(first);
  });

  it('encodes again when the metadata or any array differs', () => {
    const first = encodeFrame(series({ executedQueryString: 'q' }));
    const otherMeta = encodeFrame(series({ executedQueryString: 'other' }));
    expect(otherMeta).not.toBe(first);
    expect(tableFromIPC(otherMeta).schema.metadata.get('meta')).toBe('{"executedQueryString":"other"}');
    const otherValues = values.map((v) => v + 1);
    const decoded = tableFromIPC(encodeFrame(series({ executedQueryString: 'other' }, otherValues)));
    expect(decoded.getChild('value')!.get(5)).toBe(otherValues[5]);
  });

  it('writes every time exactly as msToNs does, whole and fractional ms, near and far', () => {
    const decoded = tableFromIPC(encodeFrame(series({ custom: { exact: true } })));
    const raw = decoded.getChild('time')!.data[0].values as BigInt64Array;
    expect(Array.from(raw)).toEqual(times.map(msToNs));
    const far = [0, 1, 2 ** 53 / 1e6, 9_007_199_254_740, 4_102_444_800_000 + 999, -1, 1.5];
    const farDecoded = tableFromIPC(encodeFrame({ fields: [{ name: 't', type: 'time', values: far }] }));
    expect(Array.from(farDecoded.getChild('t')!.data[0].values as BigInt64Array)).toEqual(far.map(msToNs));
  });
});
