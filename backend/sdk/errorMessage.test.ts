import { errorMessage } from './errorMessage';

describe('errorMessage', () => {
  it("uses an Error's message and spells out anything else that was thrown", () => {
    expect(errorMessage(new TypeError('cannot read x of undefined'))).toBe('cannot read x of undefined');
    expect(errorMessage('region is required')).toBe('region is required');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(null)).toBe('null');
    expect(errorMessage(42)).toBe('42');
  });
});
