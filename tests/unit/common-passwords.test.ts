// The 10,000 most common passwords (zxcvbn-ts's ranked list) are refused; the
// rest of that list is not, by the list at least.
import { dictionary } from '@zxcvbn-ts/language-common';
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD_COUNT, commonPasswords, isCommonPassword, isPersonalPassword } from '~/utils/common-passwords.server';
import { passwordProblem } from '~/utils/password.server';

const ranked = dictionary['passwords-common'];

describe('common passwords', () => {
  it('holds exactly the first 10,000 entries of the ranked list', () => {
    expect(COMMON_PASSWORD_COUNT).toBe(10_000);
    expect(commonPasswords().size).toBe(10_000);
    expect(commonPasswords().has(ranked[0])).toBe(true);
    expect(commonPasswords().has(ranked[9_999].toLowerCase())).toBe(true);
    expect(commonPasswords().has(ranked[10_000].toLowerCase())).toBe(false);
  });

  it('refuses long entries from the top 10,000, in any case', () => {
    // Each is 12+ characters, so the length rule alone would let it through.
    for (const password of ['qwerty123456', '1qaz2wsx3edc', 'leavemealone', 'sonyericsson']) {
      expect(ranked.indexOf(password)).toBeGreaterThanOrEqual(0);
      expect(ranked.indexOf(password)).toBeLessThan(10_000);
      expect(passwordProblem(password)).toBeNull();
      expect(isCommonPassword(password), password).toBe(true);
      expect(isCommonPassword(password.toUpperCase()), password.toUpperCase()).toBe(true);
    }
  });

  it('does not refuse an entry ranked after 10,000', () => {
    for (const password of ['unbelievable', 'administrator']) {
      expect(ranked.indexOf(password)).toBeGreaterThanOrEqual(10_000);
      expect(isCommonPassword(password), password).toBe(false);
    }
  });

  it('still refuses a common password dressed up with digits, symbols or swaps', () => {
    expect(isCommonPassword('password1234')).toBe(true);
    expect(isCommonPassword('P@ssw0rd!2024')).toBe(true);
    expect(isCommonPassword('dragondragondragon')).toBe(true);
    expect(isCommonPassword('lantern orchard velvet 42')).toBe(false);
  });

  it('still refuses passwords built from the person’s email or name', () => {
    const person = { email: 'hanako.yamada@example.jp', displayName: 'Yamada Hanako' };
    expect(isPersonalPassword('hanako.yamada@example.jp', person)).toBe(true);
    expect(isPersonalPassword('YamadaHanako2026', person)).toBe(true);
    expect(isPersonalPassword('lantern orchard velvet 42', person)).toBe(false);
  });
});
