// Who the client is, through the real server: X-Forwarded-For is believed only
// as far as TRUST_PROXY says (a hop count or a list of proxies), so a client
// inventing a new left-hand value per request is still one client — the
// opinion rate limit still trips. Forwarded host and protocol count only from
// a trusted proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

const SLUG = 'xiuzhou-inspection-2023';
let twoHops: TestServer;
let legacyTrue: TestServer;
let proxyList: TestServer;
let untrusted: TestServer;
let n = 0;

function postOpinion(server: TestServer, headers: Record<string, string>) {
  n += 1;
  return fetch(`${server.url}/reports/${SLUG}/opinions`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, ...headers },
    body: new URLSearchParams({ section: '1', item: '', body: `送信元の判定を確かめるための意見です(${n})。`, consent: 'on' }),
  });
}

function postLogin(server: TestServer, headers: Record<string, string>) {
  return fetch(`${server.url}/staff/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ email: 'nobody@example.jp', password: 'not-a-real-password' }),
  });
}

const spoof = () => `${1 + Math.floor(Math.random() * 223)}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.7`;

beforeAll(async () => {
  const limit = { RATE_LIMIT_OPINIONS: '2' };
  // One after another: four servers migrating fresh PostgreSQL databases at
  // once on a busy machine can outlast a server's start-up timeout.
  twoHops = await startTestServer({ ...limit, TRUST_PROXY: '2' });
  legacyTrue = await startTestServer({ ...limit, TRUST_PROXY: 'true' });
  proxyList = await startTestServer({ ...limit, TRUST_PROXY: 'loopback, 10.0.0.0/8' });
  untrusted = await startTestServer({ ...limit });
});
afterAll(async () => {
  await Promise.all([twoHops, legacyTrue, proxyList, untrusted].map((s) => s?.stop()));
});

describe('TRUST_PROXY as a hop count', () => {
  it('2 hops: the client is the address the outer proxy saw; spoofed left-hand values do not make a new client', async () => {
    // The client sends its own X-Forwarded-For; the outer proxy appends what it saw, the inner one its peer.
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postOpinion(twoHops, { 'X-Forwarded-For': `${spoof()}, 198.51.100.7, 10.0.0.${i + 1}` })).status);
    expect(statuses).toEqual([303, 303, 429]);
    // Another real client behind the same proxies is not limited.
    expect((await postOpinion(twoHops, { 'X-Forwarded-For': `${spoof()}, 198.51.100.8, 10.0.0.1` })).status).toBe(303);
  });

  it('keys an IPv6 client by its /64: new addresses in one network are one client', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postOpinion(twoHops, { 'X-Forwarded-For': `2001:db8:7:8::${(i + 1).toString(16)}, 10.0.0.1` })).status);
    expect(statuses).toEqual([303, 303, 429]);
    expect((await postOpinion(twoHops, { 'X-Forwarded-For': '2001:db8:7:9::1, 10.0.0.1' })).status).toBe(303);
  });

  it('true still works, as one hop, with a warning at start', async () => {
    expect(legacyTrue.logs()).toMatch(/"level":"warn","msg":"TRUST_PROXY=true is read as 1/);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postOpinion(legacyTrue, { 'X-Forwarded-For': `${spoof()}, 192.0.2.50` })).status);
    expect(statuses).toEqual([303, 303, 429]);
    expect((await postOpinion(legacyTrue, { 'X-Forwarded-For': '192.0.2.50, 192.0.2.51' })).status).toBe(303);
  });
});

describe('TRUST_PROXY as a list of proxies', () => {
  it('the client is the first address from the right that is not a listed proxy', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postOpinion(proxyList, { 'X-Forwarded-For': `${spoof()}, 192.0.2.60, 10.1.2.${i + 1}, 10.0.0.9` })).status);
    expect(statuses).toEqual([303, 303, 429]);
    expect((await postOpinion(proxyList, { 'X-Forwarded-For': `${spoof()}, 192.0.2.61, 10.0.0.9` })).status).toBe(303);
  });

  it('believes X-Forwarded-Host/-Proto from a listed proxy: its public origin is this site', async () => {
    const res = await postLogin(proxyList, { Origin: 'https://ikenbako.example.jp', 'X-Forwarded-Host': 'ikenbako.example.jp', 'X-Forwarded-Proto': 'https' });
    // Not refused as cross-origin, and Remix's own origin check does not fail (500): the sign-in is simply wrong.
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('メールアドレスまたはパスワードが正しくありません。');
  });
});

describe('no trusted proxy (the default)', () => {
  it('ignores X-Forwarded-For: every request from this peer is one client', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postOpinion(untrusted, { 'X-Forwarded-For': spoof() })).status);
    expect(statuses).toEqual([303, 303, 429]);
  });

  it('a client’s own X-Forwarded-Host/-Proto cannot make another origin look like this site', async () => {
    const res = await postLogin(untrusted, { Origin: 'https://evil.example', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('この送信元からの操作は受け付けられません');
  });

  it('a client’s own X-Forwarded-Host does not reach Remix’s origin check (no 500), for this site or PUBLIC_URL', async () => {
    for (const origin of [untrusted.url, 'http://localhost:3000']) {
      const res = await postLogin(untrusted, { Origin: origin, 'X-Forwarded-Host': 'evil.example' });
      expect(res.status, origin).toBe(400);
    }
  });
});
