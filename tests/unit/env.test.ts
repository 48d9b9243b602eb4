import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '~/utils/env.server';

describe('parseEnv', () => {
  it('gives the embedded defaults', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATABASE_PATH: 'data/ikenbako.db',
      PUBLIC_URL: 'http://localhost:3000',
      TRUST_PROXY: false,
      MAIL_DIR: 'data/mail',
      OFFICE_EMAIL: ['office@localhost'],
      SLA_DAYS: 15,
    });
    expect(env.SMTP_URL).toBeUndefined();
  });

  it('parses lists, booleans and strips a trailing slash', () => {
    const env = parseEnv({ OFFICE_EMAIL: 'a@example.jp, b@example.jp', TRUST_PROXY: 'true', PUBLIC_URL: 'https://ikenbako.example.jp/' });
    expect(env.OFFICE_EMAIL).toEqual(['a@example.jp', 'b@example.jp']);
    expect(env.TRUST_PROXY).toBe(true);
    expect(env.PUBLIC_URL).toBe('https://ikenbako.example.jp');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PUBLIC_URL', 'ftp://x'],
    ['TRUST_PROXY', 'maybe'],
    ['SMTP_URL', 'http://mail.example.jp'],
    ['OFFICE_EMAIL', 'not-an-address'],
    ['SLA_DAYS', '0'],
    ['SESSION_SECRET', 'short'],
  ])('refuses a bad %s with one line naming it', (name, value) => {
    let error: unknown;
    try {
      parseEnv({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('requires SESSION_SECRET in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(parseEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).NODE_ENV).toBe('production');
  });
});
