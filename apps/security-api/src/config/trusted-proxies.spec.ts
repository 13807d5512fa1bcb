import express from 'express';
import { trustedProxies, untrustworthyProxyEntry } from './trusted-proxies';

describe(untrustworthyProxyEntry.name, () => {
  const sut = untrustworthyProxyEntry;

  it.each([
    ['an IPv4 address', '10.0.0.7'],
    ['an IPv6 address', '2001:db8::7'],
    ['an IPv4-mapped IPv6 address', '::ffff:10.0.0.7'],
    ['an IPv4 range', '10.0.0.0/8'],
    ['a single IPv4 address as a range', '192.0.2.7/32'],
    ['an IPv6 range', 'fd00::/8'],
    ['a single IPv6 address as a range', '::1/128'],
    ['the named range loopback', 'loopback'],
    ['the named range linklocal', 'linklocal'],
    ['the named range uniquelocal', 'uniquelocal'],
  ])('accepts %s', (_case, entry) => {
    expect(sut(entry)).toBeUndefined();
  });

  it.each([
    ['an empty entry', ''],
    ['a host name, which Express never resolves', 'gateway.example.com'],
    ['a wildcard', '*'],
    ['the word true', 'true'],
    // Express would read these as 8.0.0.1 and 0.0.0.1.
    ['an octal-looking address', '010.0.0.1'],
    ['a bare number', '1'],
    ['a short IPv4 form', '127.1'],
    // Express takes a prefix of 0 for no range at all; trusting every peer is what the variable exists to avoid.
    ['a prefix of 0', '0.0.0.0/0'],
    ['an IPv6 prefix of 0', '::/0'],
    ['an IPv4 prefix over 32', '10.0.0.0/33'],
    ['an IPv6 prefix over 128', 'fd00::/129'],
    ['a netmask for a prefix', '10.0.0.0/255.0.0.0'],
    ['an empty prefix', '10.0.0.0/'],
    ['a signed prefix', '10.0.0.0/+8'],
  ])('refuses %s', (_case, entry) => {
    expect(sut(entry)).toEqual(expect.any(String));
  });
});

describe(trustedProxies.name, () => {
  it('is the trimmed entries of the list, and none when unset', () => {
    expect(trustedProxies(' 10.0.0.0/8 , ::1,loopback ')).toEqual(['10.0.0.0/8', '::1', 'loopback']);
    expect(trustedProxies(undefined)).toEqual([]);
  });

  it("gives Express a list it reads as meant: only the listed peers, in either address family's notation", () => {
    const app = express().set('trust proxy', trustedProxies('10.0.0.0/8, 2001:db8::7'));
    const trusts = app.get('trust proxy fn') as (address: string, hop: number) => boolean;

    expect(['10.1.2.3', '::ffff:10.1.2.3', '2001:db8::7'].map((peer) => trusts(peer, 0))).toEqual([true, true, true]);
    expect(['11.0.0.1', '2001:db8::8', '127.0.0.1'].map((peer) => trusts(peer, 0))).toEqual([false, false, false]);
  });
});
