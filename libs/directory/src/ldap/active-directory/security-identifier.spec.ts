import { ridOf, sidInSameDomain } from './security-identifier';

describe(sidInSameDomain.name, () => {
  // S-1-5-21-2394911275-4163715058-329930571-1102, as a Samba domain controller returned it.
  const user = Buffer.from('010500000000000515000000' + '2b72bf8e' + 'f23f2df8' + '4b57aa13' + '4e040000', 'hex');

  it("replaces the account's RID with the group's: Domain Users (513) of the same domain", () => {
    expect(sidInSameDomain(user, 513).toString('hex')).toBe(
      '010500000000000515000000' + '2b72bf8e' + 'f23f2df8' + '4b57aa13' + '01020000',
    );
    expect(ridOf(user)).toBe(1102);
  });

  it('refuses what is not the SID of a domain account, or a RID out of range', () => {
    expect(() => sidInSameDomain(user.subarray(0, 27), 513)).toThrow(/Not the SID/);
    expect(() => sidInSameDomain(Buffer.from('010100000000000512000000', 'hex'), 513)).toThrow(/Not the SID/);
    expect(() => sidInSameDomain(user, Number.NaN)).toThrow(/Not a relative id/);
    expect(() => ridOf(Buffer.from('0101', 'hex'))).toThrow(/Not the SID/);
  });
});
