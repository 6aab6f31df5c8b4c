/**
 * CloudTrail's quotas in calls per second per account and region (documented, not raisable), and
 * the process's pacing: its quota gate plus this table. The operator setting `quotas`
 * (CLOUDTRAIL_QUOTAS) replaces rates for simulators and benchmarks; AWS never needs it.
 */
import type { Pacing, QuotaGate } from '../core/calls';

export const OPERATION_TPS: Readonly<Record<string, number>> = {
  ListInsightsMetricData: 1,
  LookupEvents: 2,
  ListInsightsData: 2,
};
export const DEFAULT_TPS = 10;

/** `ListInsightsMetricData=50,LookupEvents=50,default=100` → rates per operation (bad parts skipped). */
export function parseQuotaOverrides(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (text ?? '').split(',')) {
    const [name, value] = part.split('=').map((p) => p.trim());
    const tps = Number(value);
    if (name && Number.isFinite(tps) && tps > 0) {
      out[name] = tps;
    }
  }
  return out;
}

/** The calls per second of each operation's quota: the documented rates unless overridden. */
export class QuotaTable {
  constructor(private readonly overrides: Readonly<Record<string, number>> = {}) {}

  tps(operation: string): number {
    return this.overrides[operation] ?? OPERATION_TPS[operation] ?? this.overrides.default ?? DEFAULT_TPS;
  }
}

export const DOCUMENTED_QUOTAS = new QuotaTable();

/** Pacing through `gate` at the rates of `quotas`. */
export function pacingOf(gate: QuotaGate, quotas: QuotaTable = DOCUMENTED_QUOTAS): Pacing {
  return { gate, tps: (operation) => quotas.tps(operation) };
}
