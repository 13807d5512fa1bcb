import { LoginKeys } from './login-keys';

describe(LoginKeys.name, () => {
  it('gives one pair the same key and never contains the password', () => {
    const sut = new LoginKeys();

    const key = sut.of('tdurden', 'soap-maker');

    expect(sut.of('tdurden', 'soap-maker')).toBe(key);
    expect(key).not.toContain('soap-maker');
  });

  it('keeps pairs apart that join into the same characters', () => {
    const sut = new LoginKeys();

    expect(sut.of('ab', 'c')).not.toBe(sut.of('a', 'bc'));
    expect(sut.of('tdurden', 'soap-maker')).not.toBe(sut.of('tdurden', 'soap-makeR'));
  });

  it('keys differently in another process, so keys cannot be precomputed', () => {
    expect(new LoginKeys().of('tdurden', 'soap-maker')).not.toBe(new LoginKeys().of('tdurden', 'soap-maker'));
  });
});
