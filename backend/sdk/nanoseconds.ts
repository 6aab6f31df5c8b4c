/**
 * A column of Arrow Timestamp(ns) values written from epoch milliseconds without a BigInt per
 * value: ms × 1,000,000 is split into exact 32-bit halves with float math (every step stays below
 * 2^53) and stored through a Uint32Array view of the column. Values outside that exact range
 * (negative, fractional, past the year 2248) take the BigInt route, as does a big-endian host.
 */
const NS_PER_MS = 1_000_000n;
const TWO_16 = 65_536;
const TWO_32 = 4_294_967_296;
/** Below 2^43 ms every partial product below stays exact and the result below 2^63 ns. */
const FAST_LIMIT_MS = 2 ** 43;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Epoch ms (possibly fractional) to exact integer ns; float math past 2^53 would round. */
export function msToNs(ms: number): bigint {
  const whole = Math.floor(ms);
  return BigInt(whole) * NS_PER_MS + BigInt(Math.round((ms - whole) * 1e6));
}

export class NanosecondColumn {
  readonly values: BigInt64Array;
  private readonly words: Uint32Array;

  constructor(length: number) {
    this.values = new BigInt64Array(length);
    this.words = new Uint32Array(this.values.buffer);
  }

  /** Row `i` = `ms` (a finite number) in ns. */
  set(i: number, ms: number): void {
    if (!LITTLE_ENDIAN || !(ms >= 0 && ms < FAST_LIMIT_MS && Number.isInteger(ms))) {
      this.values[i] = Number.isSafeInteger(ms) ? BigInt(ms) * NS_PER_MS : msToNs(ms);
      return;
    }
    // ms = high·2^16 + low, so ns = high·10^6·2^16 + low·10^6, each product exact.
    const high = Math.floor(ms / TWO_16);
    const a = high * 1e6;
    const b = (ms - high * TWO_16) * 1e6;
    const aHigh = Math.floor(a / TWO_16);
    const lowSum = (a - aHigh * TWO_16) * TWO_16 + b;
    const carry = Math.floor(lowSum / TWO_32);
    this.words[2 * i] = lowSum - carry * TWO_32;
    this.words[2 * i + 1] = aHigh + carry;
  }
}
