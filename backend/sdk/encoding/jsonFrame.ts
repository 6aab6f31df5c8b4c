/**
 * A frame in grafana-plugin-sdk-go's frame JSON (data/frame_json.go), the encoding a host asks for
 * with `format: JSON` (QueryDataRequest, SDK v0.300.0; Grafana asks it unless its toggle
 * datasources.jsonQueryDataFormat is off) and decodes with the SDK's own Frame UnmarshalJSON:
 *
 *   {"schema": {"name", "refId", "meta", "fields": [{"name", "type", "typeInfo": {"frame", "nullable"},
 *               "labels", "config"}]},
 *    "data":   {"values": [[…] per field], "entities": [per field null | {"NaN","Inf","NegInf"}],
 *               "nanos": [per field null | [ns past the ms per row]]}}
 *
 * Times are epoch milliseconds with the sub-millisecond rest in `nanos`; NaN and ±Inf, which JSON
 * cannot hold, are null with their row in `entities`. A field is nullable exactly when the Arrow
 * encoder makes it so (declared, or holding a null), so both formats decode to the same frame.
 */
import { frameLength } from '../arrowEncoder';
import type { Field, Frame } from '../frame';

/** The SDK's item type names (FieldType.ItemTypeString of the non-nullable type). */
const ITEM_TYPE: Record<Field['type'], string> = {
  time: 'time.Time',
  number: 'float64',
  string: 'string',
  boolean: 'bool',
};

interface Entities {
  NaN?: number[];
  Inf?: number[];
  NegInf?: number[];
}

interface Column {
  values: unknown[];
  entities: Entities | null;
  nanos: number[] | null;
  nullable: boolean;
}

function column(field: Field): Column {
  const values: unknown[] = [];
  let entities: Entities | null = null;
  let nanos: number[] | null = null;
  let nulls = false;
  field.values.forEach((raw, row) => {
    const value = raw === undefined ? null : raw;
    if (value === null) {
      nulls = true;
      values.push(null);
    } else if (field.type === 'time') {
      const ms = value as number;
      const whole = Math.floor(ms);
      const ns = Math.round((ms - whole) * 1e6);
      values.push(whole);
      if (ns !== 0) {
        nanos ??= new Array<number>(field.values.length).fill(0);
        nanos[row] = ns;
      }
    } else if (field.type === 'number' && !Number.isFinite(value)) {
      const kind = Number.isNaN(value) ? 'NaN' : (value as number) > 0 ? 'Inf' : 'NegInf';
      entities ??= {};
      (entities[kind] ??= []).push(row);
      values.push(null);
    } else {
      values.push(value);
    }
  });
  return { values, entities, nanos, nullable: field.nullable === true || nulls };
}

function schemaField(field: Field, nullable: boolean): Record<string, unknown> {
  return {
    name: field.name,
    type: field.type,
    typeInfo: nullable ? { frame: ITEM_TYPE[field.type], nullable: true } : { frame: ITEM_TYPE[field.type] },
    ...(field.labels && Object.keys(field.labels).length ? { labels: field.labels } : {}),
    ...(field.config && Object.keys(field.config).length ? { config: field.config } : {}),
  };
}

export function frameToJson(frame: Frame): string {
  frameLength(frame); // every field as long as the first, as the Arrow encoder requires
  const columns = frame.fields.map(column);
  const schema = {
    ...(frame.name ? { name: frame.name } : {}),
    ...(frame.refId ? { refId: frame.refId } : {}),
    ...(frame.meta && Object.keys(frame.meta).length ? { meta: frame.meta } : {}),
    fields: frame.fields.map((field, i) => schemaField(field, columns[i].nullable)),
  };
  const data: Record<string, unknown> = { values: columns.map((c) => c.values) };
  if (columns.some((c) => c.entities)) {
    data.entities = columns.map((c) => c.entities);
  }
  if (columns.some((c) => c.nanos)) {
    data.nanos = columns.map((c) => c.nanos);
  }
  return JSON.stringify({ schema, data });
}

const utf8 = new TextEncoder();

/** The frame's JSON as the bytes of one DataResponse.frames entry. */
export function encodeFrameJson(frame: Frame): Uint8Array {
  return utf8.encode(frameToJson(frame));
}
