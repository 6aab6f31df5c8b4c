/**
 * A small data frame model, encoded to Arrow by arrowEncoder.ts exactly as
 * grafana-plugin-sdk-go decodes it. (Model only; the encoder lives in its own file.)
 */

export type FieldType = 'time' | 'number' | 'string' | 'boolean';

/** Subset of Grafana's FieldConfig we set; serialised as the field's `config` metadata. */
export interface FieldConfig {
  displayName?: string;
  displayNameFromDS?: string;
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  description?: string;
  [key: string]: unknown;
}

export interface Field<T extends FieldType = FieldType> {
  name: string;
  type: T;
  /**
   * time: epoch ms (encoded as ns); number: float64; string; boolean. `null` where nullable.
   * Not changed once returned: a frame with the same arrays and metadata is answered with the
   * bytes already encoded for them, so returning one cached array again costs no encoding.
   */
  values: Array<
    (T extends 'time' ? number : T extends 'number' ? number : T extends 'string' ? string : boolean) | null
  >;
  nullable?: boolean;
  labels?: Record<string, string>;
  config?: FieldConfig;
}

export interface Notice {
  severity: 'info' | 'warning' | 'error';
  text: string;
  link?: string;
  inspect?: 'meta' | 'error' | 'data' | 'stats';
}

export interface QueryStat {
  displayName: string;
  value: number;
  unit?: string;
}

/** Subset of Grafana's FrameMeta; serialised as the frame's `meta` metadata. */
export interface FrameMeta {
  type?: string;
  typeVersion?: [number, number];
  executedQueryString?: string;
  notices?: Notice[];
  stats?: QueryStat[];
  custom?: Record<string, unknown>;
  preferredVisualisationType?: string;
  [key: string]: unknown;
}

export interface Frame {
  name?: string;
  refId?: string;
  fields: Field[];
  meta?: FrameMeta;
}
