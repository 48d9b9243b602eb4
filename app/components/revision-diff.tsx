// A revision's changes side by side, per section and item: 追加, 削除, 変更.
// Renumbered text is listed first: opinions attach to numbers, so it needs
// an explicit confirmation before publishing.
import type { ChangeKind, NoticeDiff } from '~/domain/notice-diff';
import { useStaffFormat } from '~/i18n/staff-format';

function Kind({ kind }: { kind: ChangeKind }) {
  const { t } = useStaffFormat();
  return <span className={`diff-kind diff-kind--${kind}`}>{t('diff.kindMark', { kind: t(`diff.kind.${kind}`) })}</span>;
}

function Pair({ before, after }: { before: string | null; after: string | null }) {
  const { t } = useStaffFormat();
  return (
    <div className="diff-pair">
      <div>
        <span className="visually-hidden">{t('diff.before')}</span>
        {before ?? t('diff.none')}
      </div>
      <div>
        <span className="visually-hidden">{t('diff.after')}</span>
        {after ?? t('diff.none')}
      </div>
    </div>
  );
}

export function RevisionDiff({ diff, fromRevision }: { diff: NoticeDiff; fromRevision: number }) {
  const f = useStaffFormat();
  const { t } = f;
  const changed = diff.sections.filter((s) => s.kind !== 'unchanged');
  return (
    <section aria-labelledby="diff-title">
      <h2 id="diff-title">{t('diff.title', { revision: fromRevision })}</h2>
      {!diff.changed ? <p>{t('diff.noChange', { revision: fromRevision })}</p> : null}
      {diff.renumbered.length > 0 ? (
        <div className="alert" role="alert">
          <h3>{t('diff.renumberedTitle')}</h3>
          <p>{t('diff.renumberedBody')}</p>
          <ul>
            {diff.renumbered.map((r, i) => (
              <li key={i}>
                {r.itemNumber === null
                  ? t('diff.renumbered', { text: r.text, from: f.section(r.from), to: f.target({ sectionNumber: r.to }, 'short') })
                  : t('diff.renumbered', { text: r.text, from: f.item(r.from), to: f.target({ sectionNumber: r.sectionNumber, itemNumber: r.to }, 'short') })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {diff.fields.length > 0 ? (
        <div className="diff-section">
          <h3>{t('diff.fields')}</h3>
          {diff.fields.map((f) => (
            <div key={f.field}>
              <h4>
                {t(`common:revisionChange.fields.${f.field}`)} <Kind kind="changed" />
              </h4>
              <Pair before={f.before} after={f.after} />
            </div>
          ))}
        </div>
      ) : null}
      {changed.map((s) => (
        <div key={s.number} className="diff-section">
          <h3>
            {f.target({ sectionNumber: s.number, sectionTitle: s.after?.title ?? s.before?.title })} <Kind kind={s.kind} />
          </h3>
          {s.before?.title !== s.after?.title ? <Pair before={s.before?.title ?? null} after={s.after?.title ?? null} /> : null}
          {s.items
            .filter((i) => i.kind !== 'unchanged')
            .map((i) => (
              <div key={i.number}>
                <h4>
                  {f.target({ sectionNumber: s.number, itemNumber: i.number }, 'short')} <Kind kind={i.kind} />
                </h4>
                <Pair
                  before={i.before ? `${i.before.heading}${i.before.body}` : null}
                  after={i.after ? `${i.after.heading}${i.after.body}` : null}
                />
              </div>
            ))}
        </div>
      ))}
    </section>
  );
}
