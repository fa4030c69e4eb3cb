import { describe, expect, it } from 'vitest';
import { resolveHubTarget, type ResolveHost } from '../../../lambdas/adapters/hub-address.js';

/** A resolver that answers from a table and records every question; it never reaches DNS. */
function fakeResolver(table: Record<string, string[]>): { resolveHost: ResolveHost; asked: string[] } {
  const asked: string[] = [];
  const resolveHost: ResolveHost = async (hostname) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (addresses === undefined) throw new Error(`getaddrinfo ENOTFOUND ${hostname}`);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolveHost, asked };
}

const PUBLIC = fakeResolver({ 'hub.example.com': ['93.184.215.14'] });

describe('resolveHubTarget', () => {
  it('allows an https hub whose name resolves to a public address, pinned to that address', async () => {
    // Act
    const target = await resolveHubTarget('https://hub.example.com/publish', { allowLoopbackHttp: false, resolveHost: PUBLIC.resolveHost });

    // Assess
    expect(target).toMatchObject({ allowed: true, address: { address: '93.184.215.14', family: 4 } });
  });

  it('refuses plain http in the deployed function, even to a public address', async () => {
    // Act
    const target = await resolveHubTarget('http://hub.example.com/', { allowLoopbackHttp: false, resolveHost: PUBLIC.resolveHost });

    // Assess
    expect(target).toEqual({ allowed: false, reason: 'hub URL must use https' });
  });

  it('refuses plain http to a public address with the local switch on', async () => {
    // Act
    const target = await resolveHubTarget('http://hub.example.com/', { allowLoopbackHttp: true, resolveHost: PUBLIC.resolveHost });

    // Assess
    expect(target).toEqual({ allowed: false, reason: 'hub URL must use https' });
  });

  it.each([
    ['https://10.0.0.1/', '10.0.0.1', 'private'],
    ['https://172.16.5.4/', '172.16.5.4', 'private'],
    ['https://192.168.1.1/', '192.168.1.1', 'private'],
    ['https://127.0.0.1/', '127.0.0.1', 'loopback'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254', 'linkLocal'],
    ['https://100.64.0.1/', '100.64.0.1', 'carrierGradeNat'],
    ['https://224.0.0.1/', '224.0.0.1', 'multicast'],
    ['https://0.0.0.0/', '0.0.0.0', 'unspecified'],
    ['https://[::1]/', '::1', 'loopback'],
    ['https://[::ffff:127.0.0.1]/', '::ffff:7f00:1', 'loopback'],
    ['https://[::ffff:10.0.0.1]/', '::ffff:a00:1', 'private'],
    ['https://[fd00:ec2::254]/', 'fd00:ec2::254', 'uniqueLocal'],
    ['https://[fe80::1]/', 'fe80::1', 'linkLocal'],
    ['https://[::]/', '::', 'unspecified'],
    ['https://[::a00:1]/', '::a00:1', 'ipv4Compatible'],
    ['https://[64:ff9b::a00:1]/', '64:ff9b::a00:1', 'rfc6052'],
  ])('refuses %s without asking DNS', async (hubUrl, address, range) => {
    // Prepare
    const { resolveHost, asked } = fakeResolver({});

    // Act
    const target = await resolveHubTarget(hubUrl, { allowLoopbackHttp: false, resolveHost });

    // Assess
    expect(target).toEqual({ allowed: false, reason: `hub address ${address} is refused (${range})` });
    expect(asked).toEqual([]);
  });

  it.each([
    ['10.1.2.3', 'private'],
    ['127.0.0.53', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['::ffff:169.254.169.254', 'linkLocal'],
  ])('refuses a host name that resolves to %s', async (address, range) => {
    // Prepare
    const { resolveHost } = fakeResolver({ 'hub.example.com': [address] });

    // Act
    const target = await resolveHubTarget('https://hub.example.com/', { allowLoopbackHttp: false, resolveHost });

    // Assess
    expect(target).toEqual({ allowed: false, reason: `hub address ${address} is refused (${range})` });
  });

  it('refuses a host name when any of its addresses is refused', async () => {
    // Prepare
    const { resolveHost } = fakeResolver({ 'hub.example.com': ['93.184.215.14', '10.0.0.9'] });

    // Act
    const target = await resolveHubTarget('https://hub.example.com/', { allowLoopbackHttp: false, resolveHost });

    // Assess
    expect(target).toEqual({ allowed: false, reason: 'hub address 10.0.0.9 is refused (private)' });
  });

  it('refuses a host name that does not resolve', async () => {
    // Act
    const target = await resolveHubTarget('https://nowhere.example/', { allowLoopbackHttp: false, resolveHost: PUBLIC.resolveHost });

    // Assess
    expect(target).toEqual({ allowed: false, reason: 'hub host nowhere.example did not resolve: getaddrinfo ENOTFOUND nowhere.example' });
  });

  it('refuses a hub URL that carries credentials', async () => {
    // Act
    const target = await resolveHubTarget('https://user:secret@hub.example.com/', { allowLoopbackHttp: false, resolveHost: PUBLIC.resolveHost });

    // Assess
    expect(target).toEqual({ allowed: false, reason: 'hub URL must not carry credentials' });
  });

  it.each(['http://127.0.0.1:8099/publish', 'http://[::1]:8099/publish', 'https://127.0.0.1/'])(
    'allows the loopback hub %s with the local switch on',
    async (hubUrl) => {
      // Act
      const target = await resolveHubTarget(hubUrl, { allowLoopbackHttp: true, resolveHost: PUBLIC.resolveHost });

      // Assess
      expect(target.allowed).toBe(true);
    },
  );

  it('pins a loopback name resolved with the local switch on to its checked address', async () => {
    // Prepare
    const { resolveHost } = fakeResolver({ localhost: ['127.0.0.1'] });

    // Act
    const target = await resolveHubTarget('http://localhost:8099/', { allowLoopbackHttp: true, resolveHost });

    // Assess
    expect(target).toMatchObject({ allowed: true, address: { address: '127.0.0.1', family: 4 } });
  });

  it('refuses a private address with the local switch on: the switch opens loopback only', async () => {
    // Act
    const target = await resolveHubTarget('http://192.168.1.20/', { allowLoopbackHttp: true, resolveHost: PUBLIC.resolveHost });

    // Assess
    expect(target).toEqual({ allowed: false, reason: 'hub address 192.168.1.20 is refused (private)' });
  });
});
