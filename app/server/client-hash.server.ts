// A keyed hash of the client address: enough to spot one client flooding the
// box, never the address itself (which is personal data). With SESSION_SECRET
// the key is derived from it; without, a random key is made once and kept in
// the settings table so that hashes stay comparable across restarts.
import crypto from 'node:crypto';
import type SQLite from 'better-sqlite3';
import { getSqlite } from './db.server';
import { getEnv } from '~/utils/env.server';

const SETTING_KEY = 'client_hash_key';
let key: Buffer | undefined;

/** The stored key, created on first use (synchronous: better-sqlite3 is). */
export function loadClientHashKey(sqlite: SQLite.Database): Buffer {
  const fresh = crypto.randomBytes(32).toString('base64url');
  sqlite.prepare('insert into settings (key, value) values (?, ?) on conflict(key) do nothing').run(SETTING_KEY, fresh);
  const row = sqlite.prepare('select value from settings where key = ?').get(SETTING_KEY) as { value: string };
  return Buffer.from(row.value, 'base64url');
}

function currentKey(): Buffer {
  if (key) return key;
  const secret = getEnv().SESSION_SECRET;
  key = secret
    ? crypto.createHmac('sha256', secret).update('ikenbako client-hash v1').digest()
    : loadClientHashKey(getSqlite());
  return key;
}

/** HMAC-SHA256 of the client address, hex, first 128 bits. Cheap after the first call. */
export function hashClient(ip: string): string {
  const normalized = ip.trim().toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return crypto.createHmac('sha256', currentKey()).update(normalized).digest('hex').slice(0, 32);
}
