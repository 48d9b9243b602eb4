// While a staff page renders on the server, each word is looked up in i18next
// once per request (rememberedOnServer): the same key and values give the same
// answer as i18next's own `t`, and a different request instance asks again.
import { describe, expect, it } from 'vitest';
import { getT } from '~/i18n/i18n.server';
import { rememberedOnServer, staffFormat, type StaffT } from '~/i18n/staff-format';

function counting(t: StaffT) {
  const calls: string[] = [];
  const counted: StaffT = (key, options) => {
    calls.push(key);
    return t(key, options);
  };
  return { counted, calls };
}

describe('rememberedOnServer', () => {
  it('answers as i18next does, asking it once per key and values', () => {
    const t = getT('ja', 'staff') as unknown as StaffT;
    const { counted, calls } = counting(t);
    const request = {};
    const remembered = rememberedOnServer(counted, request, 'ja');
    for (let i = 0; i < 3; i++) {
      expect(remembered('status.new')).toBe(t('status.new'));
      expect(remembered('count', { count: 5 })).toBe(t('count', { count: 5 }));
      expect(remembered('count', { count: 6 })).toBe(t('count', { count: 6 }));
    }
    expect(calls).toEqual(['status.new', 'count', 'count']);
    // Another component of the same request shares the words.
    rememberedOnServer(counted, request, 'ja')('status.new');
    expect(calls).toHaveLength(3);
    // Another request (its own i18next instance) asks again.
    rememberedOnServer(counted, {}, 'ja')('status.new');
    expect(calls).toHaveLength(4);
  });

  it('keeps languages apart, and formats rows as before', () => {
    const request = {};
    const ja = staffFormat(rememberedOnServer(getT('ja', 'staff') as unknown as StaffT, request, 'ja'), 'ja');
    const en = staffFormat(rememberedOnServer(getT('en', 'staff') as unknown as StaffT, request, 'en'), 'en');
    const plainJa = staffFormat(getT('ja', 'staff') as unknown as StaffT, 'ja');
    expect(ja.status('new')).toBe(plainJa.status('new'));
    expect(en.status('new')).not.toBe(ja.status('new'));
    expect(ja.dateTime('2026-11-20T02:15:00.000Z')).toBe(plainJa.dateTime('2026-11-20T02:15:00.000Z'));
  });
});
