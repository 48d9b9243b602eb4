// A keyed hash of the client address: enough to spot one client flooding the
// box, never the address itself (which is personal data). With SESSION_SECRET
// the key is derived from it; without, a random key is made once and kept in
// the settings table so that hashes stay comparable across restarts.
import crypto from 'node:crypto';
import { getOrCreateSetting } from '~/models/settings.server';
import type { DB } from './db.server';
import { clientKey } from '~/utils/client-address';
import { getEnv } from '~/utils/env.server';

const SETTING_KEY = 'client_hash_key';
let key: Buffer | undefined;

/**
 * Makes the key ready; boot calls it before the server listens, so that
 * hashClient stays synchronous (it runs first in every public action).
 */
export async function prepareClientHashKey(db: DB): Promise<void> {
  if (key || getEnv().SESSION_SECRET) return;
  const stored = await getOrCreateSetting(db, SETTING_KEY, crypto.randomBytes(32).toString('base64url'));
  key = Buffer.from(stored, 'base64url');
}

function currentKey(): Buffer {
  if (key) return key;
  const secret = getEnv().SESSION_SECRET;
  if (!secret) throw new Error('hashClient called before prepareClientHashKey (boot) loaded the stored key');
  key = crypto.createHmac('sha256', secret).update('ikenbako client-hash v1').digest();
  return key;
}

/**
 * HMAC-SHA256 of the client's key (its IPv4 address or IPv6 /64), hex, first
 * 128 bits. Cheap after the first call.
 */
export function hashClient(ip: string): string {
  return crypto.createHmac('sha256', currentKey()).update(clientKey(ip)).digest('hex').slice(0, 32);
}
