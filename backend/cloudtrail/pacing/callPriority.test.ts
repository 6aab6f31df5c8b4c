import { ALERT_RUN, callsAhead, nextInLine } from './callPriority';
import { type CallPriority } from '../core/calls';

/** Serves everyone in `priorities` by the rule; returns the arrival indexes in grant order. */
function serveAll(priorities: CallPriority[], alertsInARow = 0): number[] {
  const waiting = priorities.map((p, i) => ({ p, i }));
  const order: number[] = [];
  let run = alertsInARow;
  while (waiting.length) {
    const next = nextInLine({ priorities: waiting.map((w) => w.p), alertsInARow: run });
    run = next.alertsInARow;
    order.push(waiting.splice(next.index, 1)[0].i);
  }
  return order;
}

const line = (text: string) =>
  [...text].map((c) => ({ a: 'alert', i: 'interactive', b: 'background' })[c] as CallPriority);

test('alerts go first, but dashboards get one slot after every ALERT_RUN alerts; background goes last', () => {
  expect(ALERT_RUN).toBe(4);
  // arrival: b i i i a a a a a a
  const order = serveAll(line('biiiaaaaaa'));
  expect(order.map((i) => 'biiiaaaaaa'[i]).join('')).toBe('aaaaiaaiib');
  // within a class, arrival order
  expect(order.filter((i) => i >= 4)).toEqual([4, 5, 6, 7, 8, 9]);
  expect(order.filter((i) => i >= 1 && i <= 3)).toEqual([1, 2, 3]);
});

test('alerts granted while no dashboard waits do not count against the dashboards', () => {
  expect(nextInLine({ priorities: line('aa'), alertsInARow: 0 }).alertsInARow).toBe(0);
  expect(nextInLine({ priorities: line('ia'), alertsInARow: 3 })).toEqual({ index: 1, alertsInARow: 4 });
  expect(nextInLine({ priorities: line('ia'), alertsInARow: 4 })).toEqual({ index: 0, alertsInARow: 0 });
  expect(nextInLine({ priorities: [], alertsInARow: 0 }).index).toBe(-1);
});

test("callsAhead is each caller's place in the order the rule serves them", () => {
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let round = 0; round < 300; round++) {
    const priorities = Array.from(
      { length: 1 + Math.floor(random() * 14) },
      () => (['alert', 'interactive', 'background'] as const)[Math.floor(random() * 3)]
    );
    const run = Math.floor(random() * (ALERT_RUN + 1));
    const order = serveAll(priorities, run);
    priorities.forEach((_, index) =>
      expect(callsAhead({ priorities, alertsInARow: run }, index)).toBe(order.indexOf(index))
    );
  }
});
