/**
 * Encodes a Frame as one Arrow IPC *file* the way grafana-plugin-sdk-go's
 * data.UnmarshalArrowFrame reads it: schema metadata name/refId/meta, field metadata
 * labels/config/tstype, Timestamp(ns) whose values really are nanoseconds, Float64 numbers,
 * explicit Utf8 strings (never Dictionary) and the Arrow nullable flag.
 *
 * Refreshes ask for the same data again and again, so the bytes written for a frame are kept
 * with its value arrays (weakly) and returned again for the same arrays and metadata; plugins
 * hand over arrays they no longer change (frame.ts). Number columns are copied straight into
 * their Float64Array, without Arrow's per-value builder.
 */
import {
  Bool,
  Field as ArrowField,
  Float64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampNanosecond,
  Utf8,
  makeData,
  tableToIPC,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';
import type { Field, Frame } from './frame';
import { NanosecondColumn } from './nanoseconds';

export { msToNs } from './nanoseconds';

function validityBitmap(values: readonly unknown[]): { bitmap?: Uint8Array; nullCount: number } {
  let nullCount = 0;
  for (const value of values) {
    if (value === null || value === undefined) {
      nullCount++;
    }
  }
  if (nullCount === 0) {
    return { nullCount };
  }
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== null && values[i] !== undefined) {
      bitmap[i >> 3] |= 1 << (i & 7);
    }
  }
  return { bitmap, nullCount };
}

function timeData(field: Field): Data<TimestampNanosecond> {
  const length = field.values.length;
  const column = new NanosecondColumn(length);
  for (let i = 0; i < length; i++) {
    const value = field.values[i];
    if (value === null || value === undefined) {
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`time field "${field.name}" has a non-numeric value at row ${i}`);
    }
    column.set(i, value);
  }
  const { bitmap, nullCount } = validityBitmap(field.values);
  return makeData({ type: new TimestampNanosecond(), length, nullCount, nullBitmap: bitmap, data: column.values });
}

/** Float64 values copied once into the column buffer; a null is a 0 behind a cleared validity bit. */
function numberData(field: Field): Data<Float64> {
  const length = field.values.length;
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const value = field.values[i];
    if (value === null || value === undefined) {
      continue;
    }
    if (typeof value !== 'number') {
      throw new Error(`number field "${field.name}" has a non-numeric value at row ${i}`);
    }
    values[i] = value;
  }
  const { bitmap, nullCount } = validityBitmap(field.values);
  return makeData({ type: new Float64(), length, nullCount, nullBitmap: bitmap, data: values });
}

function arrowType(field: Field): DataType {
  switch (field.type) {
    case 'time':
      return new TimestampNanosecond();
    case 'number':
      return new Float64();
    case 'string':
      return new Utf8();
    case 'boolean':
      return new Bool();
    default:
      throw new Error(`field "${field.name}" has unsupported type "${String(field.type)}"`);
  }
}

function fieldData(field: Field, type: DataType): Data {
  if (field.type === 'time') {
    return timeData(field);
  }
  if (field.type === 'number') {
    return numberData(field);
  }
  // An explicit type keeps vectorFromArray from inferring a Dictionary for strings. Its builders
  // count only null as missing and would write undefined as "" or false: a value nobody sent.
  const values = field.values.map((value) => (value === undefined ? null : value));
  return vectorFromArray(values as unknown[], type).data[0] as Data;
}

/** grafana-plugin-sdk-go's TypeScript type names, written as field metadata `tstype`. */
const TS_TYPE: Record<Field['type'], string> = { time: 'time', number: 'number', string: 'string', boolean: 'boolean' };

function fieldMetadata(field: Field): Map<string, string> {
  const metadata = new Map<string, string>([['tstype', TS_TYPE[field.type]]]);
  if (field.labels && Object.keys(field.labels).length > 0) {
    metadata.set('labels', JSON.stringify(field.labels));
  }
  if (field.config && Object.keys(field.config).length > 0) {
    metadata.set('config', JSON.stringify(field.config));
  }
  return metadata;
}

function frameMetadata(frame: Frame): Map<string, string> {
  const metadata = new Map<string, string>([
    ['name', frame.name ?? ''],
    ['refId', frame.refId ?? ''],
  ]);
  if (frame.meta && Object.keys(frame.meta).length > 0) {
    metadata.set('meta', JSON.stringify(frame.meta));
  }
  return metadata;
}

export function frameLength(frame: Frame): number {
  const length = frame.fields[0]?.values.length ?? 0;
  for (const field of frame.fields) {
    if (field.values.length !== length) {
      throw new Error(
        `frame "${frame.name ?? ''}": field "${field.name}" has ${field.values.length} values, expected ${length}`
      );
    }
  }
  return length;
}

/** Everything besides the value arrays that the bytes depend on. */
function describe(frame: Frame): string {
  return JSON.stringify([
    frame.name,
    frame.refId,
    frame.meta,
    frame.fields.map((f) => [f.name, f.type, f.nullable, f.labels, f.config]),
  ]);
}

interface Encoded {
  arrays: ReadonlyArray<readonly unknown[]>;
  description: string;
  bytes: Uint8Array;
}

/** The last bytes written for each first-field array; dropped with the array. */
const reused = new WeakMap<readonly unknown[], Encoded>();

export function encodeFrame(frame: Frame): Uint8Array {
  const arrays = frame.fields.map((field) => field.values);
  const description = describe(frame);
  const previous = arrays.length ? reused.get(arrays[0]) : undefined;
  if (
    previous &&
    previous.description === description &&
    previous.arrays.length === arrays.length &&
    previous.arrays.every((array, i) => array === arrays[i])
  ) {
    return previous.bytes;
  }
  const bytes = encodeArrow(frame);
  if (arrays.length) {
    reused.set(arrays[0], { arrays, description, bytes });
  }
  return bytes;
}

function encodeArrow(frame: Frame): Uint8Array {
  const length = frameLength(frame);
  const arrowFields: ArrowField[] = [];
  const children: Data[] = [];
  for (const field of frame.fields) {
    const type = arrowType(field);
    const data = fieldData(field, type);
    const nullable = field.nullable === true || data.nullCount > 0;
    arrowFields.push(new ArrowField(field.name, type, nullable, fieldMetadata(field)));
    children.push(data);
  }
  const schema = new Schema(arrowFields, frameMetadata(frame));
  const batch = new RecordBatch(schema, makeData({ type: new Struct(arrowFields), length, nullCount: 0, children }));
  return tableToIPC(new Table(schema, [batch]), 'file');
}
