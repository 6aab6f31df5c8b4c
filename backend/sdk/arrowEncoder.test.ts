import { Type, tableFromIPC, type Table } from 'apache-arrow';
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
  // Encoded in each test (not while collecting them), so mutation testing sees which test ran it.
  let bytes: Uint8Array;
  let table: Table;
  beforeEach(() => {
    bytes = encodeFrame(frame);
    table = tableFromIPC(bytes);
  });

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

describe('what Grafana reads from the bytes', () => {
  const decode = (f: Frame) => tableFromIPC(encodeFrame(f));
  const timeValues = (table: Table, name = 'time') =>
    [...table.getChild(name)!].map((v) => (v === null ? null : Number(v)));

  it('missing values (null, or undefined from untyped code) decode as nulls, counted once each', () => {
    const undef = undefined as unknown as null;
    const table = decode({
      fields: [
        { name: 'time', type: 'time', values: [T0, null, undef, T0 + 180_000] },
        { name: 'value', type: 'number', values: [1, undef, null, 4] },
        { name: 'text', type: 'string', values: ['a', null, undef, 'd'] },
        { name: 'flag', type: 'boolean', values: [undef, true, null, false] },
      ],
    });
    expect(timeValues(table)).toEqual([T0, null, null, T0 + 180_000]);
    expect([...table.getChild('value')!]).toEqual([1, null, null, 4]);
    // Not "" or false: a value nobody sent must not look like one.
    expect([...table.getChild('text')!]).toEqual(['a', null, null, 'd']);
    expect([...table.getChild('flag')!]).toEqual([null, true, null, false]);
    expect(table.schema.fields.map((f) => [f.name, f.nullable])).toEqual([
      ['time', true],
      ['value', true],
      ['text', true],
      ['flag', true],
    ]);
    for (const name of ['time', 'value', 'text', 'flag']) {
      expect([name, table.getChild(name)!.nullCount]).toEqual([name, 2]);
    }
  });

  it('nulls past the first byte of the validity bitmap keep their rows', () => {
    const values = Array.from({ length: 19 }, (_, i) => (i % 9 === 4 ? null : i));
    const table = decode({ fields: [{ name: 'value', type: 'number', values }] });
    expect([...table.getChild('value')!]).toEqual(values);
    expect(table.getChild('value')!.nullCount).toBe(2);
  });

  it('a field declared nullable is marked so even without a null; others only when they hold one', () => {
    const table = decode({
      fields: [
        { name: 'time', type: 'time', values: [T0] },
        { name: 'value', type: 'number', values: [1], nullable: true },
      ],
    });
    expect(table.schema.fields.map((f) => f.nullable)).toEqual([false, true]);
  });

  it('writes each field’s tstype', () => {
    expect(decode(frame).schema.fields.map((f) => f.metadata.get('tstype'))).toEqual([
      'time',
      'number',
      'string',
      'boolean',
    ]);
  });

  it('leaves empty labels, config and meta out; an unnamed frame has empty name and refId', () => {
    const table = decode({
      meta: {},
      fields: [{ name: 'value', type: 'number', values: [1], labels: {}, config: {} }],
    });
    expect(table.schema.metadata.get('name')).toBe('');
    expect(table.schema.metadata.get('refId')).toBe('');
    expect(table.schema.metadata.has('meta')).toBe(false);
    expect([...table.schema.fields[0].metadata.keys()]).toEqual(['tstype']);
  });

  it('a frame without fields encodes with no rows', () => {
    const table = decode({ name: 'nothing', fields: [] });
    expect(table.numRows).toBe(0);
    expect(table.schema.metadata.get('name')).toBe('nothing');
  });

  it('refuses times that are not finite numbers, numbers that are not numbers, and unknown field types', () => {
    expect(() => encodeFrame({ fields: [{ name: 't', type: 'time', values: [T0, Number.NaN] }] })).toThrow(
      'time field "t" has a non-numeric value at row 1'
    );
    expect(() => encodeFrame({ fields: [{ name: 't', type: 'time', values: [Infinity] }] })).toThrow(
      'time field "t" has a non-numeric value at row 0'
    );
    expect(() =>
      encodeFrame({ fields: [{ name: 'v', type: 'number', values: [1, '2' as unknown as number] }] })
    ).toThrow('number field "v" has a non-numeric value at row 1');
    expect(() => encodeFrame({ fields: [{ name: 'x', type: 'date' as 'time', values: [1] }] })).toThrow(
      'field "x" has unsupported type "date"'
    );
    expect(() =>
      encodeFrame({
        name: 'calls',
        fields: [
          { name: 't', type: 'time', values: [1] },
          { name: 'v', type: 'number', values: [] },
        ],
      })
    ).toThrow('frame "calls": field "v" has 0 values, expected 1');
    expect(() =>
      encodeFrame({
        fields: [
          { name: 't', type: 'time', values: [1] },
          { name: 'v', type: 'number', values: [] },
        ],
      })
    ).toThrow('frame "": field "v" has 0 values, expected 1');
  });

  it('the bytes kept for the same arrays are not reused when a field’s name, type, labels or config changed', () => {
    const times = [T0, T0 + 60_000];
    const values = [1, 2];
    const base = (value: Partial<Frame['fields'][number]>): Frame => ({
      fields: [
        { name: 'time', type: 'time', values: times },
        { name: 'value', type: 'number', values, ...value } as Frame['fields'][number],
      ],
    });
    expect(decode(base({})).schema.fields[1].metadata.has('labels')).toBe(false);
    const labelled = decode(base({ labels: { region: 'eu-west-1' } }));
    expect(JSON.parse(labelled.schema.fields[1].metadata.get('labels')!)).toEqual({ region: 'eu-west-1' });
    expect(decode(base({ name: 'count' })).schema.fields[1].name).toBe('count');
    expect(JSON.parse(decode(base({ config: { unit: 'cpm' } })).schema.fields[1].metadata.get('config')!)).toEqual({
      unit: 'cpm',
    });
  });
});
