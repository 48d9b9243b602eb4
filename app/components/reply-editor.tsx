// Parts of the reply editor (/staff/opinions/:id/reply): the original opinion,
// the reply's state, the preview, the withdrawal form and the published
// versions. Props are plain view objects; nothing here imports a *.server
// module (this runs in the browser, where such a module is empty).
import { Form } from '@remix-run/react';
import { forwardRef } from 'react';
import type { OpinionStatus, ReplyStatus } from '../../db/schema';
import { SectionReplies, type SectionReplyEntry } from '~/components/section-replies';
import type { PersonalDataFinding } from '~/domain/personal-data';
import { useStaffFormat } from '~/i18n/staff-format';
import { REPLY_MESSAGE_VALUES, REPLY_MESSAGES } from '~/schemas/reply-fields';

export type EditorOpinion = {
  trackingNumber: string;
  sectionNumber: number;
  sectionTitle: string;
  itemNumber: number | null;
  itemHeading: string | null;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  publicOk: boolean;
  status: OpinionStatus;
  receivedAt: string;
};

export type EditorReply = {
  status: ReplyStatus;
  publishedAt: string | null;
  updatedAt: string;
  unpublishedReason: string | null;
};

export type EditorRevision = { id: number; body: string; showOpinion: boolean; createdAt: string; createdBy: string; isPublic: boolean };

export function OriginalOpinion({ opinion }: { opinion: EditorOpinion }) {
  const f = useStaffFormat();
  const { t } = f;
  return (
    <section aria-labelledby="original-title" className="reply-editor__original">
      <h2 id="original-title">{t('replyEditor.original')}</h2>
      <dl className="reply-editor__facts">
        <dt>{t('replyEditor.trackingNumber')}</dt>
        <dd>{opinion.trackingNumber}</dd>
        <dt>{t('replyEditor.target')}</dt>
        <dd>{f.target(opinion)}</dd>
        <dt>{t('replyEditor.receivedAt')}</dt>
        <dd>
          <time dateTime={opinion.receivedAt}>{f.dateTime(opinion.receivedAt)}</time>
        </dd>
        <dt>{t('replyEditor.status')}</dt>
        <dd>{f.status(opinion.status)}</dd>
        <dt>{t('replyEditor.publicOk')}</dt>
        <dd>{opinion.publicOk ? t('replyEditor.publicYes') : t('replyEditor.publicNo')}</dd>
        <dt>{t('replyEditor.contact')}</dt>
        <dd>{[opinion.name, opinion.email, opinion.phone].filter(Boolean).join(t('replyEditor.contactSeparator')) || t('replyEditor.notGiven')}</dd>
      </dl>
      <p className="user-text reply-editor__body">{opinion.body}</p>
    </section>
  );
}

export function ReplyStateLine({ reply, publicHref }: { reply: EditorReply | null; publicHref: string | null }) {
  const f = useStaffFormat();
  const { t } = f;
  const sep = t('replyEditor.separator');
  return (
    <section aria-labelledby="reply-state-title">
      <h2 id="reply-state-title">{t('replyEditor.stateTitle')}</h2>
      {reply ? (
        <p>
          {f.replyStatus(reply.status)}
          {reply.publishedAt ? (
            <>
              {t('replyEditor.separatorAfterStatus')}
              {t('replyEditor.publishedOn')}
              <time dateTime={reply.publishedAt}>{f.dateTime(reply.publishedAt)}</time>
            </>
          ) : null}{' '}
          {sep}
          {t('replyEditor.updatedOn')}
          <time dateTime={reply.updatedAt}>{f.dateTime(reply.updatedAt)}</time>
          {reply.status === 'unpublished' && reply.unpublishedReason ? (
            <>
              {' '}
              {sep}
              {t('replyEditor.withdrawnReason', { reason: reply.unpublishedReason })}
            </>
          ) : null}
          {publicHref ? (
            <>
              {' '}
              {sep}
              <a href={publicHref}>{t('replyEditor.publicPage')}</a>
            </>
          ) : null}
        </p>
      ) : (
        <p>{t('replyEditor.noReply')}</p>
      )}
    </section>
  );
}

/** Every published version, newest first; the one the public reads now is marked. */
export function RevisionHistory({ revisions }: { revisions: EditorRevision[] }) {
  const f = useStaffFormat();
  const { t } = f;
  if (!revisions.length) return null;
  const shown = revisions.some((v) => v.isPublic);
  return (
    <details className="reply-editor__history">
      <summary>{t('replyEditor.history', { n: f.number(revisions.length), note: shown ? '' : t('replyEditor.historyNotShown') })}</summary>
      <ol>
        {revisions.map((v) => (
          <li key={v.id} aria-current={v.isPublic ? 'true' : undefined}>
            <p>
              {v.isPublic ? <strong className="reply-editor__public-mark">{t('replyEditor.publicVersion')}</strong> : null}
              {v.isPublic ? ` ${t('replyEditor.separator')}` : null}
              <time dateTime={v.createdAt}>{f.dateTime(v.createdAt)}</time> {t('replyEditor.separator')}
              {v.createdBy} {t('replyEditor.separator')}
              {t('replyEditor.showOpinion', { value: v.showOpinion ? t('replyEditor.yes') : t('replyEditor.no') })}
            </p>
            <p className="user-text">{v.body}</p>
          </li>
        ))}
      </ol>
    </details>
  );
}

export type ReplyPreviewProps = { preview: { entry: SectionReplyEntry; warnings: string[] }; slug: string; sectionNumber: number };

/** The entry as the public list renders it, with what would stop it being published. Focused when it appears. */
export const ReplyPreviewSection = forwardRef<HTMLElement, ReplyPreviewProps>(function ReplyPreviewSection({ preview, slug, sectionNumber }, ref) {
  const { t, message } = useStaffFormat();
  return (
    <section ref={ref} tabIndex={-1} aria-labelledby="preview-title" className="reply-preview">
      <h2 id="preview-title">{t('replyEditor.preview')}</h2>
      {preview.warnings.length ? (
        <ul className="alert">
          {preview.warnings.map((w) => (
            <li key={w}>{message(w, REPLY_MESSAGE_VALUES)}</li>
          ))}
        </ul>
      ) : null}
      <div className="reply-preview__frame">
        <SectionReplies slug={slug} sectionNumber={sectionNumber} total={1} replies={[preview.entry]} headingLevel={3} linkToAll={false} />
      </div>
    </section>
  );
});

export function UnpublishForm({ busy, reason, error }: { busy: boolean; reason: string; error: string | null }) {
  const { t, message } = useStaffFormat();
  return (
    <Form method="post" aria-labelledby="unpublish-title" aria-busy={busy || undefined} className="reply-editor__unpublish">
      <h2 id="unpublish-title">{t('replyEditor.unpublishTitle')}</h2>
      <input type="hidden" name="intent" value="unpublish" />
      <div className="field">
        <label htmlFor="reason">
          {t('replyEditor.reason')}
          <span className="required">{t('required')}</span>
        </label>
        <textarea
          id="reason"
          name="reason"
          rows={3}
          required
          defaultValue={reason}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'reason-hint reason-error' : 'reason-hint'}
        />
        <p className="hint" id="reason-hint">
          {t(REPLY_MESSAGES.reasonHint, REPLY_MESSAGE_VALUES)}
        </p>
        {error ? (
          <p className="field-error" id="reason-error">
            {message(error, REPLY_MESSAGE_VALUES)}
          </p>
        ) : null}
      </div>
      <button type="submit" className="button--secondary" disabled={busy}>
        {t('replyEditor.unpublishSubmit')}
      </button>
    </Form>
  );
}

/**
 * "公開前の確認": each match of a redaction rule or a self-introduction in
 * the reply and the copy, in its context, beside a tick box "this is not
 * personal data" (NOT_PERSONAL_DATA_FIELD of ~/schemas/reply, value: the
 * finding's key; written out here, that module carries zod). Part
 * of the reply form, so it works as a plain post; the server checks again.
 */
export function PersonalDataChecks({ findings, checked }: { findings: PersonalDataFinding[]; checked: string[] }) {
  const { t } = useStaffFormat();
  return (
    <fieldset className="field personal-data-checks" aria-describedby="personal-data-hint">
      <legend>{t('replyEditor.checksLegend')}</legend>
      {findings.length === 0 ? (
        <p className="hint" id="personal-data-hint">
          {t('replyEditor.checksNone')}
        </p>
      ) : (
        <>
          <p className="hint" id="personal-data-hint">
            {t('replyEditor.checksSome')}
          </p>
          <ul className="personal-data-checks__list">
            {findings.map((f, i) => (
              <li key={f.key}>
                <p>
                  {t('replyEditor.finding', { field: t(`personalData.field.${f.field}`), kind: t(`personalData.kind.${f.kind}`) })}
                  <span className="user-text">
                    {f.before ? `…${f.before}` : ''}
                    <mark>{f.text}</mark>
                    {f.after ? `${f.after}…` : ''}
                  </span>
                </p>
                {f.confirmable ? (
                  <div className="field--check">
                    <input type="checkbox" id={`not-personal-${i}`} name="notPersonalData" value={f.key} defaultChecked={checked.includes(f.key)} />{' '}
                    <label htmlFor={`not-personal-${i}`}>{t('replyEditor.notPersonal', { text: f.text })}</label>
                  </div>
                ) : (
                  <p className="field-error">{t('replyEditor.submitterContact')}</p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </fieldset>
  );
}
