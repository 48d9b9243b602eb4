// TOTP (RFC 6238) second factor through otplib: 30-second steps, 6 digits,
// ±1 step of clock skew, and no code accepted twice (the last accepted step
// is stored). The secret is kept AES-256-GCM encrypted under a key derived
// from the session secret, so a copy of the database alone does not hold it.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import QRCode from 'qrcode';
import { getSessionSecret } from '~/server/session.server';

const STEP_SECONDS = 30;
const ISSUER = '意見箱';

function key(): Buffer {
  return Buffer.from(hkdfSync('sha256', getSessionSecret(), 'ikenbako', 'totp-secret-v1', 32));
}

/** "v1.iv.tag.ciphertext", base64url parts. */
export function encryptSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function decryptSecret(stored: string): string {
  const [version, iv, tag, body] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('unreadable TOTP secret');
  const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

export function generateTotpSecret(): string {
  return authenticator.generateSecret(20);
}

/**
 * The step a code belongs to when it is valid now (within ±1 step) and newer
 * than `lastStep`; null otherwise.
 */
export function acceptedStep(code: string, secret: string, lastStep: number | null, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = authenticator.clone({ window: 1, epoch: now, step: STEP_SECONDS }).checkDelta(code, secret);
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / STEP_SECONDS) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

/** The otpauth:// address an authenticator app reads, and its QR code as SVG markup. */
export async function enrolmentPicture(email: string, secret: string): Promise<{ uri: string; svg: string }> {
  const uri = authenticator.keyuri(email, ISSUER, secret);
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { uri, svg };
}

/** The secret in groups of four, easier to type into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}
