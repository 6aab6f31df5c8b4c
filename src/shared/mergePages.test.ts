import { mergePages } from './mergePages';

const t = (minute: number) => Date.UTC(2026, 10, 24, 0, minute);

describe('mergePages', () => {
  it('merges pages in order whatever order they arrive in', () => {
    const merged = mergePages([
      { Timestamps: [new Date(t(2)), new Date(t(3))], Values: [2, 3] },
      { Timestamps: [new Date(t(0)), new Date(t(1))], Values: [0.5, 1] },
    ]);
    expect(merged).toEqual({ timestamps: [t(0), t(1), t(2), t(3)], values: [0.5, 1, 2, 3] });
  });

  it('drops duplicate timestamps across pages, keeping the first seen', () => {
    const merged = mergePages([
      { Timestamps: [t(0), t(1)], Values: [1, 2] },
      { Timestamps: [t(1), t(2)], Values: [99, 3] },
    ]);
    expect(merged).toEqual({ timestamps: [t(0), t(1), t(2)], values: [1, 2, 3] });
  });

  it('fills missing buckets with zeros when FillWithZeros was asked', () => {
    const merged = mergePages([{ Timestamps: [t(1), t(4)], Values: [5, 7] }], {
      fillWithZeros: true,
      periodSeconds: 60,
      startTimeMs: t(0),
      endTimeMs: t(6),
    });
    expect(merged).toEqual({ timestamps: [t(0), t(1), t(2), t(3), t(4), t(5)], values: [0, 5, 0, 0, 7, 0] });
  });

  it('leaves gaps alone for NonZeroData', () => {
    const merged = mergePages([{ Timestamps: [t(1), t(4)], Values: [5, 7] }], {
      periodSeconds: 60,
      startTimeMs: t(0),
      endTimeMs: t(6),
    });
    expect(merged.timestamps).toEqual([t(1), t(4)]);
  });

  it('leaves gaps alone for NonZeroData across several pages too', () => {
    const merged = mergePages(
      [
        { Timestamps: [t(4)], Values: [7] },
        { Timestamps: [t(1)], Values: [5] },
      ],
      { periodSeconds: 60, startTimeMs: t(0), endTimeMs: t(6) }
    );
    expect(merged).toEqual({ timestamps: [t(1), t(4)], values: [5, 7] });
  });

  it('hands back the arrays of the one ordered page holding points (the encoder reuses unchanged arrays)', () => {
    const timestamps = [t(0), t(1), t(2)];
    const values = [1, 2, 3];
    const merged = mergePages([{}, { Timestamps: timestamps, Values: values }, { Timestamps: [], Values: [] }]);
    expect(merged.timestamps).toBe(timestamps);
    expect(merged.values).toBe(values);
    const fromDates = mergePages([{ Timestamps: timestamps.map((ms) => new Date(ms)), Values: values }]);
    expect(fromDates).toEqual({ timestamps, values });
    expect(fromDates.values).toBe(values);
  });

  it('refuses a page with values but no timestamps', () => {
    expect(() => mergePages([{ Values: [1] }])).toThrow('A page has 0 timestamps but 1 values.');
    expect(() => mergePages([{ Timestamps: [t(0)] }])).toThrow('A page has 1 timestamps but 0 values.');
  });

  it('handles empty and missing arrays', () => {
    expect(mergePages([{}, { Timestamps: [], Values: [] }])).toEqual({ timestamps: [], values: [] });
  });

  it('refuses a page whose timestamps and values disagree', () => {
    expect(() => mergePages([{ Timestamps: [t(0)], Values: [] }])).toThrow('A page has 1 timestamps but 0 values.');
  });
});
