// The server's output after a flow that handles a receipt token and email
// addresses (an opinion with an email, its receipt page, tracking, mail
// written, sign-in) holds none of them: the receipt path is logged as its
// route pattern with a hash, addresses as hashes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser } from '../helpers/staff';

const SLUG = 'xiuzhou-inspection-2023';
const CITIZEN_EMAIL = 'kuchikomi.taro@example.jp';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ OFFICE_EMAIL: 'soumu.office@example.jp' });
});
afterAll(async () => {
  await server?.stop();
});

describe('logs', () => {
  it('never contain a receipt token or an email address', async () => {
    const res = await fetch(`${server.url}/reports/${SLUG}/opinions`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
      body: new URLSearchParams({ section: '2', item: '', body: 'ログに個人情報が残らないことを確かめる意見です。', name: '口込 太郎', email: CITIZEN_EMAIL, phone: '090-1234-5678', replyWanted: 'on', consent: 'on' }),
    });
    expect(res.status).toBe(303);
    const receiptPath = res.headers.get('location')!;
    const token = /^\/receipts\/([^/?#]+)$/.exec(receiptPath)?.[1];
    expect(token && token.length).toBeGreaterThanOrEqual(20);
    const receipt = await fetch(server.url + receiptPath);
    expect(receipt.status).toBe(200);
    const trackingNumber = /XZ-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(await receipt.text())?.[0];
    expect(trackingNumber).toBeTruthy();
    await (await fetch(`${server.url}/receipts/${token}.data`)).arrayBuffer();
    await (await fetch(`${server.url}/track?number=${trackingNumber}`)).arrayBuffer();

    const staff = await createTestUser(server.databasePath, 'staff');
    const wrong = await fetch(`${server.url}/staff/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
      body: new URLSearchParams({ email: staff.email, password: 'not-the-password' }),
    });
    expect(wrong.status).toBe(400);
    await wrong.arrayBuffer();

    // The office notice and the citizen's acknowledgement are written (and logged).
    await expect.poll(() => (server.logs().match(/"msg":"mail written"/g) ?? []).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);

    const logs = server.logs();
    expect(logs).toMatch(/"path":"\/receipts\/:token","ref":"[0-9a-f]{12}"/);
    expect(logs).toMatch(/"msg":"mail written".*"to":"email:[0-9a-f]{12}"/);
    for (const secret of [token!, CITIZEN_EMAIL, 'soumu.office@example.jp', staff.email, '090-1234-5678']) {
      expect(logs.includes(secret), `${secret} in the server's output`).toBe(false);
    }
    expect(logs.toLowerCase()).not.toContain(CITIZEN_EMAIL.toLowerCase());
  });
});
