import { describe, expect, it } from 'vitest';
import { configWarnings, EnvError, parseEnv } from '~/utils/env.server';

describe('parseEnv', () => {
  it('gives the embedded defaults', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATABASE_PATH: 'data/ikenbako.db',
      PUBLIC_URL: 'http://localhost:3000',
      TRUST_PROXY: 0,
      MAIL_DIR: 'data/mail',
      OFFICE_EMAIL: ['office@localhost'],
      SLA_DAYS: 15,
    });
    expect(env.SMTP_URL).toBeUndefined();
  });

  it('parses lists, booleans and strips a trailing slash', () => {
    const env = parseEnv({ OFFICE_EMAIL: 'a@example.jp, b@example.jp', TRUST_PROXY: 'true', PUBLIC_URL: 'https://ikenbako.example.jp/' });
    expect(env.OFFICE_EMAIL).toEqual(['a@example.jp', 'b@example.jp']);
    expect(env.TRUST_PROXY).toBe(1);
    expect(env.PUBLIC_URL).toBe('https://ikenbako.example.jp');
  });

  it('reads TRUST_PROXY as a hop count or a list of proxies, and warns about true', () => {
    expect(parseEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseEnv({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(0);
    expect(parseEnv({ TRUST_PROXY: '10.0.0.0/8,::1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '::1']);
    expect(configWarnings({ TRUST_PROXY: 'true' })).toEqual([expect.stringContaining('TRUST_PROXY=true is read as 1')]);
    expect(configWarnings({ TRUST_PROXY: '1' })).toEqual([]);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PUBLIC_URL', 'ftp://x'],
    ['TRUST_PROXY', 'maybe'],
    ['TRUST_PROXY', '10.0.0.0/40'],
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

  it('starts in production without SESSION_SECRET (one is generated into data/), and takes a given one', () => {
    expect(parseEnv({ NODE_ENV: 'production' }).SESSION_SECRET).toBeUndefined();
    expect(parseEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).SESSION_SECRET).toBe('x'.repeat(32));
  });
});
