// A browser that has signed in to an account before is remembered by a signed
// cookie (OWASP's "device cookie"). The account's progressive delay is for
// strangers: a remembered browser skips it, so someone guessing at a known
// address — the first admin's — cannot make its owner wait. The per-client
// lock still applies, and every attempt still counts.
import { createHash } from 'node:crypto';
import { createCookie } from '@remix-run/node';
import { getEnv } from '~/utils/env.server';
import { getSessionSecret } from './session.server';

const MAX_ACCOUNTS = 5;
const REMEMBER_DAYS = 180;

let cookie: ReturnType<typeof createCookie> | undefined;

function deviceCookie() {
  const https = getEnv().PUBLIC_URL.startsWith('https://');
  cookie ??= createCookie(https ? '__Host-ikenbako_device' : '__ikenbako_device', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: https,
    maxAge: REMEMBER_DAYS * 24 * 60 * 60,
    secrets: [getSessionSecret()],
  });
  return cookie;
}

/** The cookie holds digests, not addresses. */
function accountDigest(email: string): string {
  return createHash('sha256').update(`ikenbako device v1\0${email}`).digest('base64url').slice(0, 22);
}

async function rememberedDigests(request: Request): Promise<string[]> {
  const value = await deviceCookie().parse(request.headers.get('Cookie'));
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, MAX_ACCOUNTS) : [];
}

/** True when this browser has signed in to `email` (normalized) before. */
export async function isKnownDevice(request: Request, email: string): Promise<boolean> {
  return (await rememberedDigests(request)).includes(accountDigest(email));
}

/** The Set-Cookie value that remembers this browser for `email`, newest first, a few accounts at most. */
export async function rememberDevice(request: Request, email: string): Promise<string> {
  const digest = accountDigest(email);
  const list = [digest, ...(await rememberedDigests(request)).filter((d) => d !== digest)].slice(0, MAX_ACCOUNTS);
  return deviceCookie().serialize(list);
}
