import { frameToJson } from './jsonFrame';
import type { Frame } from '../frame';

const parse = (frame: Frame) => JSON.parse(frameToJson(frame));

test("schema and values as grafana-plugin-sdk-go's frame JSON writes them", () => {
  const frame: Frame = {
    name: 'CreateUser',
    refId: 'A',
    meta: { type: 'timeseries-multi', typeVersion: [0, 1], executedQueryString: 'q' },
    fields: [
      { name: 'time', type: 'time', values: [1_700_000_000_000, 1_700_000_060_000] },
      {
        name: 'value',
        type: 'number',
        values: [1, 2.5],
        labels: { region: 'us-east-1' },
        config: { unit: 'short', displayNameFromDS: 'x' },
      },
      { name: 'state', type: 'string', values: ['Ongoing', null] },
      { name: 'ok', type: 'boolean', values: [true, false], nullable: true },
    ],
  };
  expect(parse(frame)).toEqual({
    schema: {
      name: 'CreateUser',
      refId: 'A',
      meta: { type: 'timeseries-multi', typeVersion: [0, 1], executedQueryString: 'q' },
      fields: [
        { name: 'time', type: 'time', typeInfo: { frame: 'time.Time' } },
        {
          name: 'value',
          type: 'number',
          typeInfo: { frame: 'float64' },
          labels: { region: 'us-east-1' },
          config: { unit: 'short', displayNameFromDS: 'x' },
        },
        // Nullable when it holds a null, or is declared so: as the Arrow encoder decides.
        { name: 'state', type: 'string', typeInfo: { frame: 'string', nullable: true } },
        { name: 'ok', type: 'boolean', typeInfo: { frame: 'bool', nullable: true } },
      ],
    },
    data: {
      values: [
        [1_700_000_000_000, 1_700_000_060_000],
        [1, 2.5],
        ['Ongoing', null],
        [true, false],
      ],
    },
  });
});

test('NaN and ±Inf travel as entities, sub-millisecond times as nanos, per field', () => {
  const json = parse({
    fields: [
      { name: 't', type: 'time', values: [1000.5, 2000, null] },
      { name: 'v', type: 'number', values: [NaN, Infinity, -Infinity] },
      { name: 'w', type: 'number', values: [1, 2, undefined as unknown as null] },
    ],
  });
  expect(json.data).toEqual({
    values: [
      [1000, 2000, null],
      [null, null, null],
      [1, 2, null],
    ],
    entities: [null, { NaN: [0], Inf: [1], NegInf: [2] }, null],
    nanos: [[500_000, 0, 0], null, null],
  });
  expect(json.schema.fields.map((f: { typeInfo: unknown }) => f.typeInfo)).toEqual([
    { frame: 'time.Time', nullable: true },
    { frame: 'float64' },
    { frame: 'float64', nullable: true },
  ]);
});

test('an empty frame, and fields of unequal length refused as the Arrow encoder refuses them', () => {
  expect(parse({ name: 'Insights', fields: [], meta: { type: 'numeric-multi' } })).toEqual({
    schema: { name: 'Insights', meta: { type: 'numeric-multi' }, fields: [] },
    data: { values: [] },
  });
  expect(() =>
    frameToJson({
      fields: [
        { name: 'a', type: 'number', values: [1] },
        { name: 'b', type: 'number', values: [] },
      ],
    })
  ).toThrow(/field "b" has 0 values, expected 1/);
});
