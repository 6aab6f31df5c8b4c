import type { CallBudget } from '../core/calls';
import { LATE, JoinedCall } from './joinedCall';

/** A call that finishes when told to, or fails when its shared signal aborts; exposes its budget. */
function controllable() {
  let budget!: CallBudget;
  let finish!: (value: string) => void;
  const call = new JoinedCall<string>(
    (b) =>
      new Promise<string>((resolve, reject) => {
        budget = b;
        finish = resolve;
        b.signal!.addEventListener('abort', () => reject(b.signal!.reason));
      })
  );
  return { call, budget: () => budget, finish: (v: string) => finish(v) };
}

const soon = (ms: number) => Date.now() + ms;

test('priority is that of the most urgent caller still waiting, background once nobody waits', async () => {
  const { call, budget, finish } = controllable();
  const dashboard = call.wait({ deadlineMs: soon(50), priority: 'interactive', keepMs: 60_000 });
  expect(budget().priority!()).toBe('interactive');
  const alert = call.wait({ deadlineMs: soon(5_000), priority: 'alert' });
  expect(budget().priority!()).toBe('alert');
  expect(await dashboard).toBe(LATE);
  expect(budget().priority!()).toBe('alert');
  finish('data');
  expect(await alert).toBe('data');
  expect(call.waiting).toBe(0);
  expect(budget().priority!()).toBe('background');
});

test('the deadline is open while a keeping caller waits, then its expected turn plus keepMs', async () => {
  const { call, budget } = controllable();
  const deadline = soon(30);
  const waiting = call.wait({ deadlineMs: deadline, priority: 'interactive', keepMs: 1_000 });
  expect(budget().deadlineMs()).toBe(Infinity);
  expect(await waiting).toBe(LATE);
  expect(budget().deadlineMs()).toBeGreaterThanOrEqual(deadline + 1_000);
  expect(budget().deadlineMs()).toBeLessThan(Date.now() + 1_100);
  call.cancel(new Error('test over'));
});

test('without keepMs the deadline is the latest caller deadline', async () => {
  const { call, budget, finish } = controllable();
  const first = call.wait({ deadlineMs: soon(1_000), priority: 'interactive' });
  const later = soon(3_000);
  const second = call.wait({ deadlineMs: later, priority: 'interactive' });
  expect(budget().deadlineMs()).toBe(later);
  finish('ok');
  await expect(Promise.all([first, second])).resolves.toEqual(['ok', 'ok']);
});

test('a caller gives up at once when the call is queued for a turn after its deadline', async () => {
  const { call, budget } = controllable();
  const started = Date.now();
  const waiting = call.wait({ deadlineMs: soon(2_000), priority: 'interactive', keepMs: 1 });
  budget().onQueued!({ etaMs: () => started + 10_000 });
  expect(await waiting).toBe(LATE);
  expect(Date.now() - started).toBeLessThan(500);
  expect(call.etaMs()).toBe(started + 10_000);
  call.cancel(new Error('test over'));
});

test('cancelled only when every caller still wanting it has cancelled', async () => {
  const { call, budget } = controllable();
  const [a, b] = [new AbortController(), new AbortController()];
  const first = call.wait({ signal: a.signal, deadlineMs: soon(5_000), priority: 'interactive' });
  const second = call.wait({ signal: b.signal, deadlineMs: soon(5_000), priority: 'interactive' });
  a.abort(new Error('first gone'));
  await expect(first).rejects.toThrow('first gone');
  expect(budget().signal!.aborted).toBe(false);
  b.abort(new Error('second gone'));
  await expect(second).rejects.toThrow('second gone');
  expect(budget().signal!.aborted).toBe(true);
  await expect(call.done).rejects.toThrow(/every query waiting for this call was cancelled/);
});
