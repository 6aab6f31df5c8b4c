import { humanDuration, isoMinute, periodLabel } from './duration';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './retention';

describe('humanDuration (the spans notices and hints name)', () => {
  it.each([
    [1000, '1 second'],
    [45_000, '45 seconds'],
    [MINUTE_MS - 1, '60 seconds'],
    [MINUTE_MS, '1 minute'],
    [5 * MINUTE_MS, '5 minutes'],
    [HOUR_MS - 1, '60 minutes'],
    [HOUR_MS, '1 hour'],
    [6 * HOUR_MS, '6 hours'],
    [DAY_MS - 1, '24 hours'],
    [DAY_MS, '1 day'],
    // Within an hour of a whole day it still reads as days...
    [DAY_MS + HOUR_MS - 1, '1 day'],
    // ...but a day and a few hours is clearer in hours, up to two days.
    [DAY_MS + HOUR_MS, '25 hours'],
    [2 * DAY_MS - 1, '48 hours'],
    [2 * DAY_MS, '2 days'],
    [2 * DAY_MS + 6 * HOUR_MS, '2 days'],
    [2 * DAY_MS + 12 * HOUR_MS, '3 days'],
    [90 * DAY_MS, '90 days'],
  ])('%i ms reads "%s"', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('names a negative span by its size', () => {
    expect(humanDuration(-6 * HOUR_MS)).toBe('6 hours');
    expect(humanDuration(-DAY_MS)).toBe('1 day');
  });
});

describe('labels for notices', () => {
  it('names periods as the API does', () => {
    expect(periodLabel(300)).toBe('300 s');
  });

  it('prints UTC date-times to the minute', () => {
    expect(isoMinute(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02T03:04Z');
    expect(isoMinute(Date.UTC(2026, 10, 24, 23, 59, 0, 0))).toBe('2026-11-24T23:59Z');
  });
});
