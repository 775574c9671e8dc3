import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Loopback, private, link-local, shared, benchmarking, multicast and reserved ranges: a webhook URL that reaches them
// could read the operator's own network (SSRF). BlockList checks IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4
// ranges itself.
const notPublic = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  notPublic.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  notPublic.addSubnet(net, prefix, 'ipv6');
}

/** True for an address on loopback, a private network or a reserved range. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) throw new Error(`not an IP address: ${address}`);
  return notPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Refused before any byte is sent: the endpoint resolves to a private or loopback address. */
export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a private or loopback address (set OUTBOUND_ALLOW_PRIVATE=true to allow)`);
  }
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * A `lookup` for `http.request` that resolves every address of the host and refuses the connection when any is
 * private: the check and the connection use the same answer, so a DNS record that changes in between cannot slip
 * through. IP literals never reach a lookup: `refuseLiteral` covers them.
 */
export function publicOnlyLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true } as LookupAllOptions, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const bad = addresses.find((a) => isPrivateAddress(a.address));
      if (bad) return callback(new PrivateAddressError(hostname, bad.address) as NodeJS.ErrnoException, '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as AllCallback)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
type AllCallback = (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void;

/** Throws PrivateAddressError when the URL's host is a private IP literal. */
export function refuseLiteral(url: URL): void {
  const host = hostOf(url);
  if (isIP(host) && isPrivateAddress(host)) throw new PrivateAddressError(host, host);
}

/**
 * Checks an endpoint URL as it is added: http(s) only, no credentials in it, and (unless private addresses are
 * allowed) every address its host resolves to is public. Returns the problem, or null when the URL is fine.
 */
export async function urlProblem(raw: string, allowPrivate: boolean): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must use http or https';
  if (url.username || url.password) return 'url must not carry credentials';
  if (allowPrivate) return null;
  const host = hostOf(url);
  try {
    if (isIP(host)) refuseLiteral(url);
    else {
      const lookup = publicOnlyLookup();
      await new Promise<void>((resolve, reject) => lookup(host, {}, (err) => (err ? reject(err) : resolve())));
    }
  } catch (error) {
    if (error instanceof PrivateAddressError) return `url: ${error.message}`;
    return `url: ${host} does not resolve`;
  }
  return null;
}
