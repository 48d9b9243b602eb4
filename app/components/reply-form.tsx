// The reply form of /staff/opinions/:id/reply: the opinion's public copy, a
// template to insert, the reply, the personal-data checks and the buttons.
// Posts multipart: URL-encoded, a Japanese character takes 9 bytes and the body
// and copy at their limits would pass the server's 64 KB cap.
import { Form } from '@remix-run/react';
import { PersonalDataChecks } from '~/components/reply-editor';
import type { PersonalDataFinding } from '~/domain/personal-data';
import { REPLY_MESSAGES } from '~/schemas/reply-fields';

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
      <h2 id="reply-form-title">{published ? '公開中の回答を編集' : '回答を書く'}</h2>
      {replyError ? (
        <p className="field-error" id="reply-form-error">
          {replyError}
        </p>
      ) : null}

      <fieldset className="field">
        <legend>公開する意見</legend>
        <div className="field--check">
          <input
            type="checkbox"
            id="showOpinion"
            name="showOpinion"
            defaultChecked={opinion.publicOk && values.showOpinion}
            disabled={!opinion.publicOk}
            aria-describedby="showOpinion-hint"
          />{' '}
          <label htmlFor="showOpinion">回答とあわせて、意見(個人情報を伏せた写し)を公開する</label>
        </div>
        <p className="hint" id="showOpinion-hint">
          {opinion.publicOk
            ? '投稿者は意見の公開に同意しています。公開するのは下の写しで、元の意見は変わりません。'
            : '投稿者が意見の公開に同意していないため、意見は公開できません。回答だけが公開されます。'}
        </p>
        <label htmlFor="redactedOpinion">
          公開用の写し(電話番号・メールアドレス・身分証番号・投稿者の氏名などは●●●に置き換え済み)
        </label>
        <p className="hint" id="redactedOpinion-hint">
          自動で伏せた結果です。住所や勤務先など、個人が分かる記述が残っていないか確認し、必要に応じて書き換えてください。
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
        <label htmlFor="templateId">回答テンプレート</label>
        {templates.length ? (
          <div className="reply-editor__template">
            <select
              id="templateId"
              name="templateId"
              defaultValue=""
              aria-invalid={errors.templateId ? true : undefined}
              aria-describedby={errors.templateId ? 'reply-form-error' : undefined}
            >
              <option value="">テンプレートを選ぶ</option>
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
              回答欄に挿入
            </button>
          </div>
        ) : (
          <p className="hint">テンプレートはまだありません(管理者が「回答テンプレート」で作成できます)。</p>
        )}
      </div>

      <div className="field">
        <label htmlFor="body">
          区からの回答<span className="required">必須</span>
        </label>
        <p className="hint" id="body-hint">
          {REPLY_MESSAGES.bodyHint}
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
          <label htmlFor="renotify">再通知(更新した回答を投稿者にメールで知らせる)</label>
          <p className="hint" id="renotify-hint">
            {opinion.email
              ? '編集だけではメールは送られません。知らせる場合はチェックしてください。'
              : '投稿者はメールアドレスを記入していないため、知らせることはできません。'}
          </p>
        </div>
      ) : opinion.email ? (
        <p className="hint">公開すると、投稿者に回答とその掲載先をメールで知らせます。</p>
      ) : null}

      <div className="reply-editor__actions">
        <button type="submit" name="intent" value="preview" className="button--secondary" disabled={busy}>
          プレビュー
        </button>
        {!published ? (
          <button type="submit" name="intent" value="draft" className="button--secondary" disabled={busy}>
            下書きを保存
          </button>
        ) : null}
        <button type="submit" name="intent" value="publish" disabled={busy}>
          {published ? '更新して公開する' : '公開する'}
        </button>
        {busy ? <span className="hint">送信しています…</span> : null}
      </div>
    </Form>
  );
}
