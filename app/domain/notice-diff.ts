// What changed between two revisions of a notice, section by section and item
// by item. Opinions attach to section and item *numbers*, so the diff pairs by
// number and separately reports text that moved to another number
// (renumbering), which a person must confirm before publishing. Pure and
// browser-safe: the console draws it, the public page summarises it.
import { formatTarget, type Target, type Translate } from '~/utils/format';

export type OutlineItem = { number: number; heading: string; body: string };
export type OutlineSection = { number: number; title: string; items: OutlineItem[] };
/** The parts of a notice compared besides its sections. */
export type OutlineFields = {
  title: string;
  intro: string[];
  summary: string;
  nextSteps: string[];
  closing: string;
  phone: string;
  mailbox: string;
  issuer: string;
  issuedOn: string;
};
export type NoticeOutline = OutlineFields & { sections: OutlineSection[] };

export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged';

export type ItemDiff = { number: number; kind: ChangeKind; before: OutlineItem | null; after: OutlineItem | null };
export type SectionDiff = {
  number: number;
  kind: ChangeKind;
  before: { title: string } | null;
  after: { title: string } | null;
  items: ItemDiff[];
};
export type FieldDiff = { field: keyof OutlineFields; label: string; before: string; after: string };
export type Renumbering = { sectionNumber: number; itemNumber: number | null; from: number; to: number; text: string };
export type NoticeDiff = {
  sections: SectionDiff[];
  fields: FieldDiff[];
  /** Sections or items whose text now stands under another number. */
  renumbered: Renumbering[];
  changed: boolean;
};

export const CHANGE_LABELS: Record<ChangeKind, string> = {
  added: '追加',
  removed: '削除',
  changed: '変更',
  unchanged: '変更なし',
};

const FIELD_LABELS: Record<keyof OutlineFields, string> = {
  title: '表題',
  intro: '前文',
  summary: '巡視整備の結果',
  nextSteps: '次のステップ',
  closing: '結び',
  phone: '電話番号',
  mailbox: '郵便の宛先',
  issuer: '発行者',
  issuedOn: '発行日',
};

function numbers<T extends { number: number }>(a: T[], b: T[]): number[] {
  return [...new Set([...a.map((x) => x.number), ...b.map((x) => x.number)])].sort((x, y) => x - y);
}

function kindOf(before: unknown, after: unknown, same: boolean): ChangeKind {
  if (!before) return 'added';
  if (!after) return 'removed';
  return same ? 'unchanged' : 'changed';
}

function diffItems(before: OutlineItem[], after: OutlineItem[]): ItemDiff[] {
  return numbers(before, after).map((n) => {
    const b = before.find((i) => i.number === n) ?? null;
    const a = after.find((i) => i.number === n) ?? null;
    return { number: n, kind: kindOf(b, a, b?.heading === a?.heading && b?.body === a?.body), before: b, after: a };
  });
}

/** Text found under a different number: a title or heading that moved. */
function moved<T extends { number: number }>(before: T[], after: T[], text: (x: T) => string) {
  const out: Array<{ from: number; to: number; text: string }> = [];
  for (const b of before) {
    const t = text(b);
    if (!t) continue;
    if (after.some((a) => a.number === b.number && text(a) === t)) continue;
    const a = after.find((x) => text(x) === t);
    if (a) out.push({ from: b.number, to: a.number, text: t });
  }
  return out;
}

export function diffNotices(before: NoticeOutline, after: NoticeOutline): NoticeDiff {
  const sections: SectionDiff[] = numbers(before.sections, after.sections).map((n) => {
    const b = before.sections.find((s) => s.number === n) ?? null;
    const a = after.sections.find((s) => s.number === n) ?? null;
    const items = diffItems(b?.items ?? [], a?.items ?? []);
    const same = b?.title === a?.title && items.every((i) => i.kind === 'unchanged');
    return {
      number: n,
      kind: kindOf(b, a, same),
      before: b ? { title: b.title } : null,
      after: a ? { title: a.title } : null,
      items,
    };
  });

  const renumbered: Renumbering[] = moved(before.sections, after.sections, (s) => s.title).map((m) => ({
    sectionNumber: m.to,
    itemNumber: null,
    ...m,
  }));
  // Items are followed within the section of the same title, wherever it now stands.
  for (const b of before.sections) {
    const a = after.sections.find((s) => s.title === b.title) ?? after.sections.find((s) => s.number === b.number);
    if (!a) continue;
    for (const m of moved(b.items, a.items, (i) => i.heading)) {
      renumbered.push({ sectionNumber: a.number, itemNumber: m.to, ...m });
    }
  }

  const fields: FieldDiff[] = [];
  for (const key of Object.keys(FIELD_LABELS) as Array<keyof OutlineFields>) {
    const show = (v: string | string[]) => (Array.isArray(v) ? v.join('\n\n') : v);
    const b = show(before[key]);
    const a = show(after[key]);
    if (b !== a) fields.push({ field: key, label: FIELD_LABELS[key], before: b, after: a });
  }

  return {
    sections,
    fields,
    renumbered,
    changed: fields.length > 0 || sections.some((s) => s.kind !== 'unchanged'),
  };
}

/**
 * One change of a revision, as data: the page words it in its reader's
 * language (`wordRevisionChange`). `minor`: nothing in the outline changed
 * (a correction of wording the diff does not break down).
 */
export type RevisionChange =
  | { kind: 'field'; field: keyof OutlineFields }
  | { kind: 'added' | 'removed' | 'changed'; target: Target }
  | { kind: 'sectionTitle'; target: Target }
  | { kind: 'moved'; from: Target; to: Target }
  | { kind: 'minor' };

/** Every change of a diff, in the order the 改訂履歴 lists them. */
export function listDiffChanges(diff: NoticeDiff): RevisionChange[] {
  const changes: RevisionChange[] = diff.fields.map((f) => ({ kind: 'field', field: f.field }));
  for (const s of diff.sections) {
    if (s.kind === 'unchanged') continue;
    if (s.kind === 'added' || s.kind === 'removed') {
      changes.push({ kind: s.kind, target: { sectionNumber: s.number } });
      continue;
    }
    if (s.before?.title !== s.after?.title) changes.push({ kind: 'sectionTitle', target: { sectionNumber: s.number } });
    for (const i of s.items) {
      if (i.kind !== 'unchanged') changes.push({ kind: i.kind, target: { sectionNumber: s.number, itemNumber: i.number } });
    }
  }
  for (const r of diff.renumbered) {
    changes.push({
      kind: 'moved',
      from: { sectionNumber: r.itemNumber === null ? r.from : r.sectionNumber, itemNumber: r.itemNumber === null ? null : r.from },
      to: { sectionNumber: r.sectionNumber, itemNumber: r.itemNumber },
    });
  }
  return changes;
}

/**
 * One change in words: through `tr` (the common catalog's revisionChange.*)
 * in the reader's language; without it in Japanese (the unit tests' wording,
 * which the ja catalog repeats).
 */
export function wordRevisionChange(c: RevisionChange, tr?: Translate): string {
  const target = (t: Target) => formatTarget(t, 'short', tr);
  if (tr) {
    switch (c.kind) {
      case 'field':
        return tr('revisionChange.field', { field: tr(`revisionChange.fields.${c.field}`) });
      case 'moved':
        return tr('revisionChange.moved', { from: target(c.from), to: target(c.to) });
      case 'minor':
        return tr('revisionChange.minor');
      default:
        return tr(`revisionChange.${c.kind}`, { target: target(c.target) });
    }
  }
  switch (c.kind) {
    case 'field':
      return `${FIELD_LABELS[c.field]}を変更`;
    case 'sectionTitle':
      return `${target(c.target)}の表題を変更`;
    case 'moved':
      return `${target(c.from)}の内容を${target(c.to)}へ移動(番号の変更)`;
    case 'minor':
      return '表記の修正';
    default:
      return `${target(c.target)}を${CHANGE_LABELS[c.kind]}`;
  }
}

/** One line per change, for the 改訂履歴: 第三項(二)を変更, 表題を変更 … */
export function summarizeDiff(diff: NoticeDiff, tr?: Translate): string[] {
  return listDiffChanges(diff).map((c) => wordRevisionChange(c, tr));
}
