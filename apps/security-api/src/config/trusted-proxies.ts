import { isIP } from 'node:net';

/**
 * The ranges Express names (proxy-addr's): 127.0.0.0/8 and ::1; 169.254.0.0/16 and fe80::/10; 10.0.0.0/8,
 * 172.16.0.0/12, 192.168.0.0/16 and fc00::/7.
 */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

const PREFIX_LENGTH = /^\d{1,3}$/;

/** TRUSTED_PROXIES as the list Express's "trust proxy" takes: its entries, trimmed; none when unset. */
export function trustedProxies(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((entry) => entry.trim());
}

/**
 * Why an entry is not an address, a CIDR range or a named range, if it is not. Stricter than Express, which reads
 * "010.0.0.1" as 8.0.0.1 and "1" as 0.0.0.1, and takes a netmask after the slash: an entry must mean one thing to
 * whoever reads the configuration. A prefix of 0 would trust every peer, as `trust proxy: true` does.
 */
export function untrustworthyProxyEntry(entry: string): string | undefined {
  if (entry === '') {
    return 'an empty entry';
  }
  if (NAMED_RANGES.has(entry)) {
    return undefined;
  }
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) {
    return `${JSON.stringify(entry)} is not an IP address in standard notation`;
  }
  if (slash === -1) {
    return undefined;
  }
  const prefix = entry.slice(slash + 1);
  const longest = version === 4 ? 32 : 128;
  if (!PREFIX_LENGTH.test(prefix) || Number(prefix) < 1 || Number(prefix) > longest) {
    return `${JSON.stringify(entry)} needs a prefix length from 1 to ${longest} after the slash`;
  }
  return undefined;
}
