// Every audit action the app writes has words in the staff catalog, and
// before/after always becomes readable lines, whatever was stored (asserted
// in Japanese here; the catalogs test holds the other languages to the same keys).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditActionLabel, auditChangeText, describeAuditChanges, formatAuditValue } from '~/domain/audit-labels';
import { getT } from '~/i18n/i18n.server';
import { staffFormat } from '~/i18n/staff-format';

const ja = staffFormat(getT('ja', 'staff'), 'ja');
const en = staffFormat(getT('en', 'staff'), 'en');

const APP = path.resolve(__dirname, '../../app');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe('audit action labels', () => {
  it('names every action code written next to recordAudit under app/', () => {
    const codes = new Set<string>();
    for (const file of sourceFiles(APP)) {
      const source = fs.readFileSync(file, 'utf8');
      if (!source.includes('recordAudit(')) continue;
      for (const m of source.matchAll(/['"`]((?:auth|user|unit|template|opinion|reply)\.[a-z0-9_]+)['"`]/g)) codes.add(m[1]);
    }
    // Built as `reply.${kind}` in models/replies.server.ts.
    codes.add('reply.publish');
    codes.add('reply.edit');
    expect(codes.size).toBeGreaterThan(20);
    const missing = [...codes].filter((c) => !AUDIT_ACTIONS.includes(c));
    expect(missing).toEqual([]);
    // Each known code has its own words (not the key echoed back).
    for (const code of AUDIT_ACTIONS) expect(auditActionLabel(code, ja).label, code).not.toContain('audit.action');
  });

  it('shows an unknown code as it is', () => {
    expect(auditActionLabel('opinion.status', ja)).toEqual({ label: '状態の変更', known: true });
    expect(auditActionLabel('opinion.status', en)).toEqual({ label: 'Status changed', known: true });
    expect(auditActionLabel('legacy.thing', ja)).toEqual({ label: 'legacy.thing', known: false });
  });
});

describe('before → after', () => {
  const lines = (action: string, before: Parameters<typeof describeAuditChanges>[1], after: Parameters<typeof describeAuditChanges>[2]) =>
    describeAuditChanges(action, before, after, ja).map((c) => auditChangeText(c, ja));

  it('lists only the fields that changed, with values in words', () => {
    expect(lines('user.role', { email: 'a@example.jp', role: 'staff', active: true }, { email: 'a@example.jp', role: 'admin', active: true })).toEqual([
      '役割:職員 → 管理者',
    ]);
    expect(lines('opinion.status', { status: 'new', duplicateOf: null }, { status: 'duplicate', duplicateOf: 'XZ-2026-AAAA-BBBB' })).toEqual([
      '状態:受付 → 重複',
      '重複先:(なし) → XZ-2026-AAAA-BBBB',
    ]);
  });

  it("reads a reply's status as a reply's and a deadline as a date", () => {
    expect(formatAuditValue('reply.unpublish', 'status', 'unpublished', ja)).toBe('公開取り下げ済み');
    expect(formatAuditValue('opinion.status', 'status', 'answered', ja)).toBe('回答済');
    expect(formatAuditValue('opinion.due', 'dueAt', '2030-01-15T15:59:59.999Z', ja)).toBe('2030年1月15日');
    expect(formatAuditValue('reply.publish', 'publishedAt', '2030-01-15T01:30:00.000Z', ja)).toBe('2030年1月15日 09:30');
  });

  it('speaks the staff member’s language', () => {
    const lines = describeAuditChanges('opinion.status', { status: 'new' }, { status: 'duplicate' }, en).map((c) => auditChangeText(c, en));
    expect(lines).toEqual(['Status: Received → Duplicate']);
    expect(formatAuditValue('opinion.due', 'dueAt', '2030-01-15T15:59:59.999Z', en)).toBe('15 January 2030');
    expect(formatAuditValue('reply.publish', 'publishedAt', '2030-01-15T01:30:00.000Z', en)).toBe('15 January 2030 at 09:30 (Beijing time)');
  });

  it('lists what a creation set, leaving out empty fields and ids', () => {
    expect(lines('opinion.note', null, { noteId: 4, body: 'メモ' })).toEqual(['内容:メモ']);
    expect(lines('reply.draft', null, { replyId: 1, status: 'draft', body: '案', unpublishedReason: null })).toEqual(['状態:下書き(非公開)', '内容:案']);
  });

  it('never throws on odd stored values', () => {
    expect(lines('x.y', 'not json', [1, 2])).toEqual(['変更前:not json', '変更後:1,2']);
    expect(lines('x.y', null, null)).toEqual([]);
    expect(lines('opinion.export', null, { filters: {} })).toEqual(['書き出しの条件:すべて']);
  });
});
