// The reply form of /staff/opinions/:id/reply: the opinion's public copy, a
// template to insert, the reply, the personal-data checks and the buttons.
// Posts multipart: URL-encoded, a Japanese character takes 9 bytes and the body
// and copy at their limits would pass the server's 64 KB cap.
import { Form } from '@remix-run/react';
import { PersonalDataChecks } from '~/components/reply-editor';
import type { PersonalDataFinding } from '~/domain/personal-data';
import { useStaffFormat } from '~/i18n/staff-format';
import { REPLY_MESSAGE_VALUES, REPLY_MESSAGES } from '~/schemas/reply-fields';

export type ReplyFormValues = {
  body: string;
  redactedOpinion: string;
  showOpinion: boolean;
  renotify: boolean;
  reason: string;
  notPersonalData: string[];
};

type Props = {
  formKey: string;
  opinion: { publicOk: boolean; email: string | null };
  published: boolean;
  templates: Array<{ id: number; title: string }>;
  values: ReplyFormValues;
  findings: PersonalDataFinding[];
  errors: Partial<Record<string, string>>;
  replyError: string | null;
  busy: boolean;
};

export function ReplyForm({
  formKey,
  opinion,
  published,
  templates,
  values,
  findings,
  errors,
  replyError,
  busy,
}: Props) {
  const { t } = useStaffFormat();
  const describedBy = (...ids: Array<string | false>) => ids.filter(Boolean).join(' ') || undefined;
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      key={formKey}
      aria-labelledby="reply-form-title"
      aria-busy={busy || undefined}
      className="reply-editor__form"
    >
      <h2 id="reply-form-title">{published ? t('replyPage.editTitle') : t('replyPage.writeTitle')}</h2>
      {replyError ? (
        <p className="field-error" id="reply-form-error">
          {replyError}
        </p>
      ) : null}

      <fieldset className="field">
        <legend>{t('replyPage.showLegend')}</legend>
        <div className="field--check">
          <input
            type="checkbox"
            id="showOpinion"
            name="showOpinion"
            defaultChecked={opinion.publicOk && values.showOpinion}
            disabled={!opinion.publicOk}
            aria-describedby="showOpinion-hint"
          />{' '}
          <label htmlFor="showOpinion">{t('replyPage.showOpinion')}</label>
        </div>
        <p className="hint" id="showOpinion-hint">
          {opinion.publicOk
            ? t('replyPage.showYes')
            : t('replyPage.showNo')}
        </p>
        <label htmlFor="redactedOpinion">
          {t('replyPage.redacted')}
        </label>
        <p className="hint" id="redactedOpinion-hint">
          {t('replyPage.redactedHint')}
        </p>
        <textarea
          id="redactedOpinion"
          name="redactedOpinion"
          rows={8}
          defaultValue={values.redactedOpinion}
          aria-invalid={errors.redactedOpinion ? true : undefined}
          aria-describedby={describedBy('redactedOpinion-hint', Boolean(errors.redactedOpinion) && 'reply-form-error')}
        />
      </fieldset>

      <div className="field">
        <label htmlFor="templateId">{t('replyPage.template')}</label>
        {templates.length ? (
          <div className="reply-editor__template">
            <select
              id="templateId"
              name="templateId"
              defaultValue=""
              aria-invalid={errors.templateId ? true : undefined}
              aria-describedby={errors.templateId ? 'reply-form-error' : undefined}
            >
              <option value="">{t('replyPage.chooseTemplate')}</option>
              {templates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.title}
                </option>
              ))}
            </select>{' '}
            <button
              type="submit"
              name="intent"
              value="template"
              className="button--secondary"
              formNoValidate
              disabled={busy}
            >
              {t('replyPage.insert')}
            </button>
          </div>
        ) : (
          <p className="hint">{t('replyPage.noTemplates')}</p>
        )}
      </div>

      <div className="field">
        <label htmlFor="body">
          {t('replyPage.body')}
            <span className="required">{t('required')}</span>
        </label>
        <p className="hint" id="body-hint">
          {t(REPLY_MESSAGES.bodyHint, REPLY_MESSAGE_VALUES)}
        </p>
        <textarea
          id="body"
          name="body"
          rows={10}
          defaultValue={values.body}
          aria-describedby={describedBy('body-hint', Boolean(replyError) && 'reply-form-error')}
          aria-invalid={replyError && !errors.redactedOpinion && !errors.templateId ? true : undefined}
        />
      </div>

      <PersonalDataChecks findings={findings} checked={values.notPersonalData} />

      {published ? (
        <div className="field field--check">
          <input
            type="checkbox"
            id="renotify"
            name="renotify"
            defaultChecked={values.renotify}
            disabled={!opinion.email}
            aria-describedby="renotify-hint"
          />{' '}
          <label htmlFor="renotify">{t('replyPage.renotify')}</label>
          <p className="hint" id="renotify-hint">
            {opinion.email
              ? t('replyPage.renotifyYes')
              : t('replyPage.renotifyNo')}
          </p>
        </div>
      ) : opinion.email ? (
        <p className="hint">{t('replyPage.mailOnPublish')}</p>
      ) : null}

      <div className="reply-editor__actions">
        <button type="submit" name="intent" value="preview" className="button--secondary" disabled={busy}>
          {t('replyPage.preview')}
        </button>
        {!published ? (
          <button type="submit" name="intent" value="draft" className="button--secondary" disabled={busy}>
            {t('replyPage.saveDraft')}
          </button>
        ) : null}
        <button type="submit" name="intent" value="publish" disabled={busy}>
          {published ? t('replyPage.update') : t('replyPage.publish')}
        </button>
        {busy ? <span className="hint">{t('replyPage.sending')}</span> : null}
      </div>
    </Form>
  );
}
