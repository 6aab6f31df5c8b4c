// Switchable faults. Triggers: true (always), { count: n } (the next n matching calls), { rate: p }
// (probability p from a seeded generator, so runs are reproducible), optionally limited to `operations`.
import { hashString } from '../data/hash';
import { CORRUPT_PAGE_KINDS } from './hostilePages';
import { CLOUDTRAIL_OPERATION_NAMES, STS_OPERATIONS } from '../protocol/operationNames';
import type { Faults, FaultTrigger } from '../types';

const KNOWN_OPERATIONS = new Set<string>([...CLOUDTRAIL_OPERATION_NAMES, ...STS_OPERATIONS]);

export const NO_FAULTS: Faults = {
  serverError: false,
  slowMs: 0,
  resetConnection: false,
  malformedBody: false,
  endlessNextToken: false,
  insightsDisabled: false,
  badCredentials: false,
  throttleAll: false,
  accessDenied: false,
  corruptPage: false,
  htmlError: false,
};

type TriggeredFault = 'serverError' | 'resetConnection' | 'malformedBody' | 'accessDenied' | 'htmlError';
const TRIGGERED_FAULTS: TriggeredFault[] = [
  'serverError',
  'resetConnection',
  'malformedBody',
  'accessDenied',
  'htmlError',
];

export class FaultState {
  private current: Faults;
  private randomState: number;

  constructor(initial: Partial<Faults> = {}, seed = 'faults') {
    this.current = { ...NO_FAULTS };
    this.randomState = hashString(seed) || 1;
    this.set(initial);
  }

  set(partial: Partial<Faults>): void {
    const next = { ...this.current, ...partial };
    for (const name of TRIGGERED_FAULTS) {
      next[name] = normalise(next[name]);
    }
    if (next.corruptPage !== false && !(CORRUPT_PAGE_KINDS as readonly unknown[]).includes(next.corruptPage)) {
      throw new Error(`corruptPage must be false or one of ${CORRUPT_PAGE_KINDS.join(', ')}; got ${next.corruptPage}`);
    }
    this.current = next;
  }

  snapshot(): Faults {
    return structuredClone(this.current);
  }

  get flags(): Readonly<Faults> {
    return this.current;
  }

  /** Whether the named fault fires for this call; consumes one unit of a `count` trigger. */
  fires(name: TriggeredFault, operation: string): boolean {
    const trigger = this.current[name];
    if (trigger === false) {
      return false;
    }
    if (trigger === true) {
      return true;
    }
    if (trigger.operations && !trigger.operations.includes(operation)) {
      return false;
    }
    if (trigger.count !== undefined) {
      if (trigger.count <= 0) {
        return false;
      }
      trigger.count -= 1;
      return true;
    }
    return this.random() < (trigger.rate ?? 1);
  }

  private random(): number {
    // mulberry32
    let t = (this.randomState = (this.randomState + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

function normalise(trigger: FaultTrigger | undefined): FaultTrigger {
  if (trigger === undefined || trigger === false) {
    return false;
  }
  if (trigger === true) {
    return true;
  }
  const { count, rate, operations } = trigger;
  if (count !== undefined && (!Number.isInteger(count) || count < 0)) {
    throw new Error(`fault count must be a non-negative integer, got ${count}`);
  }
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
    throw new Error(`fault rate must be within [0, 1], got ${rate}`);
  }
  // A misspelt operation would silently never fire.
  const unknown = operations?.filter((op) => !KNOWN_OPERATIONS.has(op)) ?? [];
  if (unknown.length) {
    throw new Error(`fault operations must be among ${[...KNOWN_OPERATIONS].join(', ')}; got ${unknown.join(', ')}`);
  }
  return {
    ...(count !== undefined ? { count } : {}),
    ...(rate !== undefined ? { rate } : {}),
    ...(operations ? { operations: [...operations] } : {}),
  };
}
