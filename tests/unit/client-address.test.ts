import { describe, expect, it } from 'vitest';
import { clientKey, isProxyAddress, parseTrustProxy, requestOrigin, trustProxyWarning } from '~/utils/client-address';

describe('parseTrustProxy', () => {
  it('reads hop counts, the old booleans and lists of proxies', () => {
    expect(parseTrustProxy('0')).toBe(0);
    expect(parseTrustProxy('false')).toBe(0);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('TRUE')).toBe(1);
    expect(parseTrustProxy('10.0.0.0/8, 192.0.2.7,fd00::/8')).toEqual(['10.0.0.0/8', '192.0.2.7', 'fd00::/8']);
    expect(parseTrustProxy('loopback')).toEqual(['loopback']);
  });

  it('refuses anything else', () => {
    for (const bad of ['maybe', '-1', '1.5', '10.0.0.0/33', 'fd00::/129', '10.0.0.1/8/2', 'proxy.example.jp', '', ' , ']) {
      expect(parseTrustProxy(bad), bad).toBeNull();
    }
    expect(isProxyAddress('256.0.0.1')).toBe(false);
  });

  it('never trusts every address (a /0 would let any client name itself)', () => {
    for (const everything of ['0.0.0.0/0', '::/0', '10.0.0.1, 0.0.0.0/0', '0.0.0.0/00']) {
      expect(parseTrustProxy(everything), everything).toBeNull();
    }
    expect(parseTrustProxy('0.0.0.0/1')).toEqual(['0.0.0.0/1']);
  });

  it('warns about true only', () => {
    expect(trustProxyWarning('true')).toMatch(/TRUST_PROXY=true is read as 1/);
    expect(trustProxyWarning('1')).toBeNull();
    expect(trustProxyWarning(undefined)).toBeNull();
  });
});

describe('clientKey', () => {
  it('keeps an IPv4 address, also when IPv4-mapped', () => {
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('keys an IPv6 client by its /64, however the address is written', () => {
    const key = clientKey('2001:db8:85a3:7:8a2e:370:7334:1');
    expect(key).toBe('2001:db8:85a3:7::/64');
    expect(clientKey('2001:0DB8:85A3:0007:ffff:ffff:ffff:ffff')).toBe(key);
    expect(clientKey('2001:db8:85a3:7::1')).toBe(key);
    expect(clientKey('2001:db8:85a3:8::1')).not.toBe(key);
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });
});

describe('requestOrigin', () => {
  const base = { encrypted: false, host: '127.0.0.1:3000', forwardedHost: 'evil.example', forwardedProto: 'https' };
  it('ignores X-Forwarded-Host/-Proto from a peer that is not a trusted proxy', () => {
    expect(requestOrigin({ ...base, peerTrusted: false })).toBe('http://127.0.0.1:3000');
  });

  it('believes them from a trusted proxy (the first value)', () => {
    expect(requestOrigin({ ...base, peerTrusted: true, forwardedHost: 'ikenbako.example.jp, inner', forwardedProto: 'https, http' })).toBe(
      'https://ikenbako.example.jp',
    );
  });

  it('falls back to Host when a forwarded value is not a host or protocol', () => {
    expect(requestOrigin({ ...base, peerTrusted: true, forwardedHost: 'a/b@c', forwardedProto: 'javascript' })).toBe('http://127.0.0.1:3000');
    expect(requestOrigin({ ...base, peerTrusted: false, host: 'bad host' })).toBe('http://localhost');
  });
});
