import { NanosecondColumn, msToNs } from './nanoseconds';

/** The plain BigInt conversion the column must match exactly. */
const exact = (ms: number) => (Number.isSafeInteger(ms) ? BigInt(ms) * 1_000_000n : msToNs(ms));

describe('NanosecondColumn', () => {
  it('writes exactly what BigInt math gives, on both sides of every split and outside the fast range', () => {
    const values = [
      0,
      1,
      59_999,
      65_535,
      65_536,
      65_537,
      4_294_967, // ns just below 2^32
      4_294_968, // ns just above 2^32
      1_764_000_000_000,
      1_764_000_060_000,
      2 ** 43 - 1,
      2 ** 43,
      9_007_199_254_740, // far future, BigInt route
      -1,
      -60_000,
      1.5,
      1_764_000_000_000.25,
    ];
    const column = new NanosecondColumn(values.length);
    values.forEach((ms, i) => column.set(i, ms));
    expect(Array.from(column.values)).toEqual(values.map(exact));
  });

  it('matches BigInt math for a spread of whole-ms epochs', () => {
    const values: number[] = [];
    for (let ms = 1; ms < 2 ** 43; ms = ms * 3 + 7919) {
      values.push(ms, ms + 1, ms * 2 - 1);
    }
    const column = new NanosecondColumn(values.length);
    values.forEach((ms, i) => column.set(i, ms));
    expect(Array.from(column.values)).toEqual(values.map(exact));
  });

  it('leaves rows it was not given at 0 (nulls)', () => {
    const column = new NanosecondColumn(3);
    column.set(1, 1_764_000_000_000);
    expect(Array.from(column.values)).toEqual([0n, 1_764_000_000_000_000_000n, 0n]);
  });
});
