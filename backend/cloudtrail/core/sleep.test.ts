import { abortableSleep } from './sleep';

describe('abortableSleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('needs no timer when there is no time to wait', async () => {
    await expect(abortableSleep(0)).resolves.toBeUndefined();
    await expect(abortableSleep(-5)).resolves.toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('waits its time, or ends with the reason of an abort', async () => {
    let done = false;
    const sleeping = abortableSleep(1_000).then(() => (done = true));
    await jest.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);

    const controller = new AbortController();
    const aborted = abortableSleep(1_000, controller.signal);
    controller.abort(new Error('left the dashboard'));
    await expect(aborted).rejects.toThrow('left the dashboard');
    expect(jest.getTimerCount()).toBe(0);
  });
});
