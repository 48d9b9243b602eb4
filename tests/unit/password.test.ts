import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from '~/utils/password.server';

describe('password policy', () => {
  it('refuses 11 characters and accepts 12', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    expect(passwordProblem('abcdefghijk')).toMatch(/12文字以上/);
    expect(passwordProblem('abcdefghijkl')).toBeNull();
  });

  it('counts Japanese characters as one each', () => {
    expect(passwordProblem('あいうえおかきくけこさ')).toMatch(/12文字以上/);
    expect(passwordProblem('あいうえおかきくけこさし')).toBeNull();
  });

  it('refuses surrounding spaces, repetition and absurd length', () => {
    expect(passwordProblem(' abcdefghijkl')).toMatch(/空白/);
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/繰り返し/);
    expect(passwordProblem('ab1-'.repeat(100))).toMatch(/以内/);
  });

  it('generates readable passwords of at least 16 characters that pass the policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(p.length).toBeGreaterThanOrEqual(16);
      expect(p).not.toMatch(/[0O1lI]/);
      expect(passwordProblem(p)).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });
});

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts each hash differently', async () => {
    const a = await hashPassword('same password here');
    const b = await hashPassword('same password here');
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(await verifyPassword('same password here', a)).toBe(true);
    expect(await verifyPassword('same password here', b)).toBe(true);
  });

  it('refuses malformed or tampered stored values without throwing', async () => {
    const stored = await hashPassword('another password');
    expect(await verifyPassword('another password', 'plain-text')).toBe(false);
    expect(await verifyPassword('another password', stored.replace('scrypt$16384', 'scrypt$99999999'))).toBe(false);
    const parts = stored.split('$');
    parts[5] = Buffer.from('x'.repeat(64)).toString('base64url');
    expect(await verifyPassword('another password', parts.join('$'))).toBe(false);
  });
});
