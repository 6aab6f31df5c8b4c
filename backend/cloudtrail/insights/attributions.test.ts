import { formatContributors, parseAttributions } from './attributions';

test('shares are parts of the insight average, largest first, at most five per attribute', () => {
  const raw = [
    {
      attribute: 'userIdentityArn',
      insight: [
        { value: 'b', average: 2 },
        { value: 'a', average: 6 },
        ...['c', 'd', 'e', 'f'].map((value) => ({ value, average: 0.5 })),
      ],
      baseline: [{ value: 'a', average: 0.1 }],
    },
    { attribute: 'userAgent', insight: [{ value: 'aws-cli/2', average: 10 }] },
  ];
  const parsed = parseAttributions(raw, 10)!;
  expect(parsed.userIdentityArn!.map((c) => c.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
  expect(parsed.userIdentityArn![0].share).toBeCloseTo(0.6);
  expect(parsed.userAgent).toEqual([{ value: 'aws-cli/2', share: 1 }]);
  expect(formatContributors(parsed.userIdentityArn!.slice(0, 2))).toBe('a (60%), b (20%)');
});

test('without an insight average the listed values share the whole; junk is skipped', () => {
  const parsed = parseAttributions(
    [
      {
        attribute: 'errorCode',
        insight: [
          { value: 'AccessDenied', average: 3 },
          { value: 'Throttling', average: 1 },
        ],
      },
      { attribute: 'unknown', insight: [{ value: 'x', average: 1 }] },
      {
        attribute: 'userAgent',
        insight: [
          { value: '', average: 1 },
          { value: 'y', average: -1 },
        ],
      },
      null,
    ],
    undefined
  );
  expect(parsed).toEqual({
    errorCode: [
      { value: 'AccessDenied', share: 0.75 },
      { value: 'Throttling', share: 0.25 },
    ],
  });
  expect(parseAttributions('nope', 1)).toBeUndefined();
  expect(formatContributors(undefined)).toBe('');
});
