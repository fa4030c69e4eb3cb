import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Decides where a WebSub ping may go. The hub URL comes from `site.yaml`, which anyone who can
 * upload content controls, so it must not turn the publish function into a way to reach
 * internal services: instance metadata, VPC hosts, or (on a developer's machine) the LAN.
 * The check runs on the addresses the host name resolves to, and the request is then sent to
 * exactly the address that was checked, so a DNS answer that changes between the check and
 * the connection (DNS rebinding) gains nothing.
 */

/** One address a host name resolves to, as `dns.lookup` reports it. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to all its addresses. */
export type ResolveHost = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** Where a ping may be sent, or why not. */
export type HubTarget =
  | { readonly allowed: true; readonly url: URL; readonly address: ResolvedAddress }
  | { readonly allowed: false; readonly reason: string };

/** How strict {@link resolveHubTarget} is. */
export interface HubTargetOptions {
  /** Lets plain http reach a loopback hub: the local preview's switch, never set when deployed. */
  readonly allowLoopbackHttp: boolean;
  /** @default every address `dns.lookup` returns */
  readonly resolveHost?: ResolveHost;
}

/**
 * Parses the hub URL, resolves its host and checks every address. Only public unicast
 * addresses pass (ipaddr.js's `unicast` range): private, loopback, link-local (which holds
 * 169.254.169.254, the instance metadata address), unique-local (fd00:ec2::254), carrier-grade
 * NAT, multicast, unspecified, reserved and translated forms are refused, and an IPv4-mapped
 * IPv6 address is judged as the IPv4 address it carries. When a name resolves to several
 * addresses, one refused address refuses the hub. Loopback passes only with the local switch,
 * which is also the only way plain http passes.
 */
export async function resolveHubTarget(hubUrl: string, options: HubTargetOptions): Promise<HubTarget> {
  const url = parseHubUrl(hubUrl);
  if (url === undefined) return { allowed: false, reason: 'hub URL is not an http(s) URL' };
  if (url.username || url.password) return { allowed: false, reason: 'hub URL must not carry credentials' };
  const httpAllowed = options.allowLoopbackHttp && url.protocol === 'http:';
  if (url.protocol !== 'https:' && !httpAllowed) return { allowed: false, reason: 'hub URL must use https' };
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await addressesOf(hostname, options.resolveHost ?? lookupAll);
  } catch (error: unknown) {
    return { allowed: false, reason: `hub host ${hostname} did not resolve: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (addresses.length === 0) return { allowed: false, reason: `hub host ${hostname} did not resolve` };
  for (const { address } of addresses) {
    const range = rangeOf(address);
    const loopbackAllowed = range === 'loopback' && options.allowLoopbackHttp;
    if (range !== 'unicast' && !loopbackAllowed) return { allowed: false, reason: `hub address ${address} is refused (${range})` };
    // Plain http is for the local preview's own loopback hub only, never a public host.
    if (url.protocol === 'http:' && range !== 'loopback') return { allowed: false, reason: 'hub URL must use https' };
  }
  return { allowed: true, url, address: addresses[0] as ResolvedAddress };
}

/** The ipaddr.js range name of an address; an IPv4-mapped IPv6 address is judged as IPv4. */
function rangeOf(address: string): string {
  try {
    const parsed = ipaddr.process(address);
    const range = parsed.range();
    // ipaddr.js calls the deprecated IPv4-compatible form (::/96, e.g. ::a00:1) unicast; it
    // carries an IPv4 address that could be private, and no public hub uses it.
    const compatible = parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0);
    return range === 'unicast' && compatible ? 'ipv4Compatible' : range;
  } catch {
    return 'unparsable';
  }
}

function parseHubUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** An IP literal is its own address; a name asks the resolver. */
async function addressesOf(hostname: string, resolveHost: ResolveHost): Promise<readonly ResolvedAddress[]> {
  const family = isIP(hostname);
  return family === 0 ? resolveHost(hostname) : [{ address: hostname, family: family === 6 ? 6 : 4 }];
}

async function lookupAll(hostname: string): Promise<readonly ResolvedAddress[]> {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}
