import { responseReserveMs, workDeadline } from './deadline';

test('the reserve is 15% of the time left, at most 1 s', () => {
  expect(responseReserveMs(3_000)).toBe(450);
  expect(responseReserveMs(30_000)).toBe(1_000);
  expect(responseReserveMs(-5)).toBe(0);
});

test('work ends before the call deadline, and never later than the cap', () => {
  const now = 1_000_000;
  expect(workDeadline(now + 3_000, Infinity, now)).toBe(now + 2_550);
  expect(workDeadline(now + 60_000, 15_000, now)).toBe(now + 15_000);
  expect(workDeadline(undefined, 30_000, now)).toBe(now + 30_000);
});
