// Parts of the reply editor (/staff/opinions/:id/reply): the original opinion,
// the reply's state, the preview, the withdrawal form and the published
// versions. Props are plain view objects; nothing here imports a *.server
// module (this runs in the browser, where such a module is empty).
import { Form } from '@remix-run/react';
import { forwardRef } from 'react';
import type { OpinionStatus, ReplyStatus } from '../../db/schema';
import { SectionReplies, type SectionReplyEntry } from '~/components/section-replies';
import { REPLY_STATUS_LABELS, STATUS_LABELS } from '~/domain/labels';
import { PERSONAL_DATA_FIELD_LABELS, PERSONAL_DATA_KIND_LABELS, type PersonalDataFinding } from '~/domain/personal-data';
import { REPLY_MESSAGES } from '~/schemas/reply-fields';
import { formatTarget } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';

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
  return (
    <section aria-labelledby="original-title" className="reply-editor__original">
      <h2 id="original-title">元の意見(職員のみ閲覧できます)</h2>
      <dl className="reply-editor__facts">
        <dt>受付番号</dt>
        <dd>{opinion.trackingNumber}</dd>
        <dt>対象</dt>
        <dd>{formatTarget(opinion)}</dd>
        <dt>受付日時</dt>
        <dd>
          <time dateTime={opinion.receivedAt}>{formatDateTime(opinion.receivedAt)}</time>
        </dd>
        <dt>状態</dt>
        <dd>{STATUS_LABELS[opinion.status]}</dd>
        <dt>意見の公開</dt>
        <dd>{opinion.publicOk ? '回答とあわせて公開してよい(同意あり)' : '公開しない(同意なし)'}</dd>
        <dt>お名前・連絡先(公開しません)</dt>
        <dd>{[opinion.name, opinion.email, opinion.phone].filter(Boolean).join(' ／ ') || '(記入なし)'}</dd>
      </dl>
      <p className="user-text reply-editor__body">{opinion.body}</p>
    </section>
  );
}

export function ReplyStateLine({ reply, publicHref }: { reply: EditorReply | null; publicHref: string | null }) {
  return (
    <section aria-labelledby="reply-state-title">
      <h2 id="reply-state-title">回答の状態</h2>
      {reply ? (
        <p>
          {REPLY_STATUS_LABELS[reply.status]}
          {reply.publishedAt ? (
            <>
              ／ 公開日 <time dateTime={reply.publishedAt}>{formatDateTime(reply.publishedAt)}</time>
            </>
          ) : null}{' '}
          ／ 最終更新 <time dateTime={reply.updatedAt}>{formatDateTime(reply.updatedAt)}</time>
          {reply.status === 'unpublished' && reply.unpublishedReason ? <> ／ 取り下げの理由:{reply.unpublishedReason}</> : null}
          {publicHref ? (
            <>
              {' '}
              ／ <a href={publicHref}>公開ページ</a>
            </>
          ) : null}
        </p>
      ) : (
        <p>まだ回答はありません。</p>
      )}
    </section>
  );
}

/** Every published version, newest first; the one the public reads now is marked. */
export function RevisionHistory({ revisions }: { revisions: EditorRevision[] }) {
  if (!revisions.length) return null;
  const shown = revisions.some((v) => v.isPublic);
  return (
    <details className="reply-editor__history">
      <summary>
        公開した版の履歴({revisions.length}件{shown ? '' : '・いまは公開されていません'})
      </summary>
      <ol>
        {revisions.map((v) => (
          <li key={v.id} aria-current={v.isPublic ? 'true' : undefined}>
            <p>
              {v.isPublic ? <strong className="reply-editor__public-mark">公開中の版</strong> : null}
              {v.isPublic ? ' ／ ' : null}
              <time dateTime={v.createdAt}>{formatDateTime(v.createdAt)}</time> ／ {v.createdBy} ／ 意見の公開:{v.showOpinion ? 'あり' : 'なし'}
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
  return (
    <section ref={ref} tabIndex={-1} aria-labelledby="preview-title" className="reply-preview">
      <h2 id="preview-title">プレビュー(公開ページでの表示)</h2>
      {preview.warnings.length ? (
        <ul className="alert">
          {preview.warnings.map((w) => (
            <li key={w}>{w}</li>
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
  return (
    <Form method="post" aria-labelledby="unpublish-title" aria-busy={busy || undefined} className="reply-editor__unpublish">
      <h2 id="unpublish-title">公開を取り下げる</h2>
      <input type="hidden" name="intent" value="unpublish" />
      <div className="field">
        <label htmlFor="reason">
          取り下げの理由<span className="required">必須</span>
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
          {REPLY_MESSAGES.reasonHint}
        </p>
        {error ? (
          <p className="field-error" id="reason-error">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit" className="button--secondary" disabled={busy}>
        公開を取り下げる
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
  return (
    <fieldset className="field personal-data-checks" aria-describedby="personal-data-hint">
      <legend>公開前の確認(個人情報の可能性がある箇所)</legend>
      {findings.length === 0 ? (
        <p className="hint" id="personal-data-hint">
          電話番号・メールアドレス・身分証番号・投稿者の氏名や連絡先・名乗りは見つかりませんでした。プレビューと公開のときに、もう一度確かめます。
        </p>
      ) : (
        <>
          <p className="hint" id="personal-data-hint">
            次の箇所は個人情報の可能性があるため、このままでは公開できません。個人情報なら上の欄で●●●に置き換えてください。そうでなければ(区の窓口の番号など)チェックしてから公開してください。チェックは監査ログに記録されます。
          </p>
          <ul className="personal-data-checks__list">
            {findings.map((f, i) => (
              <li key={f.key}>
                <p>
                  {PERSONAL_DATA_FIELD_LABELS[f.field]} ／ {PERSONAL_DATA_KIND_LABELS[f.kind]}:
                  <span className="user-text">
                    {f.before ? `…${f.before}` : ''}
                    <mark>{f.text}</mark>
                    {f.after ? `${f.after}…` : ''}
                  </span>
                </p>
                {f.confirmable ? (
                  <div className="field--check">
                    <input type="checkbox" id={`not-personal-${i}`} name="notPersonalData" value={f.key} defaultChecked={checked.includes(f.key)} />{' '}
                    <label htmlFor={`not-personal-${i}`}>確認済み:「{f.text}」は個人情報ではありません</label>
                  </div>
                ) : (
                  <p className="field-error">投稿者本人の連絡先・住所は公開できません。●●●に置き換えるか削除してください。</p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </fieldset>
  );
}
