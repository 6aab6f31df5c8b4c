// NextToken signing in isolation: round trip, and rejection of edits, other scopes, other parameters
// and other keys.
import { PageTokens } from './paging';

const tokens = new PageTokens(Buffer.alloc(32, 7));
const params = ['ec2.amazonaws.com', 'RunInstances', 60];

test('a token opens with the same scope and parameters', () => {
  const token = tokens.issue('op|acct|region', params, { p: 42, s: 1, e: 2 });
  expect(tokens.open(token, 'op|acct|region', params)).toEqual({ p: 42, s: 1, e: 2 });
});

test('edited state, other scopes, other parameters and other keys are rejected', () => {
  const token = tokens.issue('op|acct|region', params, { p: 42 });
  const [payload, mac] = token.split('.');
  const forged = `${Buffer.from(JSON.stringify({ p: 0 })).toString('base64url')}.${mac}`;
  expect(tokens.open(forged, 'op|acct|region', params)).toBeUndefined();
  expect(tokens.open(token, 'op|other|region', params)).toBeUndefined();
  expect(tokens.open(token, 'op|acct|region', [...params.slice(0, 2), 300])).toBeUndefined();
  expect(new PageTokens(Buffer.alloc(32, 8)).open(token, 'op|acct|region', params)).toBeUndefined();
  expect(tokens.open(payload, 'op|acct|region', params)).toBeUndefined();
  expect(tokens.open('not a token', 'op|acct|region', params)).toBeUndefined();
});
