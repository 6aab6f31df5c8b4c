/**
 * Encodes a Frame as one Arrow IPC *file* the way grafana-plugin-sdk-go's
 * data.UnmarshalArrowFrame reads it: schema metadata name/refId/meta, field metadata
 * labels/config/tstype, Timestamp(ns) whose values really are nanoseconds, Float64 numbers,
 * explicit Utf8 strings (never Dictionary) and the Arrow nullable flag.
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

const NS_PER_MS = 1_000_000n;

/** Epoch ms (possibly fractional) to exact integer ns; float math past 2^53 would round. */
export function msToNs(ms: number): bigint {
  const whole = Math.floor(ms);
  return BigInt(whole) * NS_PER_MS + BigInt(Math.round((ms - whole) * 1e6));
}

function validityBitmap(values: readonly unknown[]): { bitmap?: Uint8Array; nullCount: number } {
  let nullCount = 0;
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((value, i) => {
    if (value === null || value === undefined) {
      nullCount++;
    } else {
      bitmap[i >> 3] |= 1 << (i & 7);
    }
  });
  return nullCount === 0 ? { nullCount } : { bitmap, nullCount };
}

function timeData(field: Field): Data<TimestampNanosecond> {
  const values = new BigInt64Array(field.values.length);
  field.values.forEach((value, i) => {
    if (value === null || value === undefined) {
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`time field "${field.name}" has a non-numeric value at row ${i}`);
    }
    values[i] = msToNs(value);
  });
  const { bitmap, nullCount } = validityBitmap(field.values);
  return makeData({
    type: new TimestampNanosecond(),
    length: values.length,
    nullCount,
    nullBitmap: bitmap,
    data: values,
  });
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
  // An explicit type keeps vectorFromArray from inferring a Dictionary for strings.
  return vectorFromArray(field.values as unknown[], type).data[0] as Data;
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

export function encodeFrame(frame: Frame): Uint8Array {
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
