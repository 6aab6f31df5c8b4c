import { loadingNotice, noteStillLoading, type Answer } from './loadingNotice';

const NOW = Date.UTC(2026, 11, 1, 12);
const missing = { startMs: NOW - 3_600_000, endMs: NOW };
const frameOf = (refId: string) => ({
  refId,
  fields: [],
  meta: { notices: [{ severity: 'info' as const, text: 'planned' }] },
});

test('names how many series are loading, why, and when a refresh finds them', () => {
  const loading = [12, 3, 7].map((s) => ({ missing, readyAtMs: NOW + s * 1000, queued: true }));
  expect(loadingNotice(loading, 40, 1, NOW)).toEqual({
    severity: 'warning',
    text: '3 of 40 series are still loading: CloudTrail allows 1 call per second; refresh in about 13 s.',
  });
  expect(loadingNotice(loading.slice(0, 1), 1, 2, NOW).text).toBe(
    '1 of 1 series is still loading: CloudTrail allows 2 calls per second; refresh in about 13 s.'
  );
  expect(loadingNotice([{ missing, readyAtMs: NOW, queued: false }], 5, 1, NOW).text).toMatch(
    /^1 of 5 series could not be queued: CloudTrail allows 1 call per second and too many series already wait/
  );
});

test('only the partial answers get the notice, beside their own notices; the count is over the series queries', () => {
  const answers: Answer[] = [
    { response: { frames: [frameOf('A')], status: 200 }, series: true },
    {
      response: { frames: [frameOf('B')], status: 200 },
      series: true,
      loading: { missing, readyAtMs: NOW + 4_000, queued: true },
    },
    { response: { frames: [frameOf('C')], status: 200 } }, // annotations
  ];
  noteStillLoading(answers, 1, NOW);
  expect(answers[0].response.frames[0].meta?.notices).toHaveLength(1);
  expect(answers[2].response.frames[0].meta?.notices).toHaveLength(1);
  expect(answers[1].response.frames[0].meta?.notices).toEqual([
    { severity: 'info', text: 'planned' },
    {
      severity: 'warning',
      text: '1 of 2 series is still loading: CloudTrail allows 1 call per second; refresh in about 5 s.',
    },
  ]);
});
