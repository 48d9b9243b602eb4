// /staff/templates — reply templates. Admins create, edit, retire and restore
// them; moderators read them here and insert them from the reply editor.
// Titles are unique among the templates in use (the models refuse a second
// one), and the add form empties itself after a save, so a second press of
// the button cannot store the same template twice.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { createReplyTemplate, listReplyTemplates, setReplyTemplateRetired, updateReplyTemplate } from '~/models/reply-templates.server';
import { TEMPLATE_MESSAGES } from '~/schemas/reply-fields';
import { templateFormSchema } from '~/schemas/reply-template';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm, type FieldErrors } from '~/utils/form.server';
import { formatDateTime } from '~/utils/local-time';
import { useIsPending } from '~/utils/use-is-pending';
import { UserError } from '~/utils/user-error.server';

export const meta: MetaFunction = () => [{ title: '回答テンプレート | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'replies');
  const isAdmin = user.role === 'admin';
  const templates = await listReplyTemplates(getDb(), { includeRetired: isAdmin });
  return { isAdmin, templates };
}

type Values = { title: string; body: string };
type ActionResult = {
  ok: boolean;
  /** Changes on every answer, so a saved form re-mounts (the add form empty again). */
  key: string;
  message: string;
  /** 'new', 'template-<id>' or 'none': which form the answer belongs to. */
  formId: string;
  errors?: FieldErrors;
  values?: Values;
};

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin');
  const parsed = await parseForm(request, templateFormSchema);
  const { intent, templateId } = parsed.values;
  const formId = intent === 'create' ? 'new' : /^[1-9]\d{0,9}$/.test(templateId ?? '') ? `template-${templateId}` : 'none';
  const values = { title: parsed.values.title ?? '', body: parsed.values.body ?? '' };
  const answer = (ok: boolean, message: string, more: Partial<ActionResult> = {}, status = 200) =>
    data<ActionResult>({ ok, key: `${Date.now()}`, message, formId, ...more }, { status });
  if (!parsed.success) return answer(false, parsed.formError ?? TEMPLATE_MESSAGES.intentInvalid, { errors: parsed.errors, values }, 400);

  const input = parsed.data;
  const db = getDb();
  try {
    switch (input.intent) {
      case 'create': {
        const t = await createReplyTemplate(db, actor, input);
        return answer(true, `テンプレート「${t.title}」を追加しました。`);
      }
      case 'update': {
        const t = await updateReplyTemplate(db, actor, input.templateId, input);
        return answer(true, `テンプレート「${t.title}」を更新しました。`);
      }
      case 'retire':
      case 'restore': {
        const t = await setReplyTemplateRetired(db, actor, input.templateId, input.intent === 'retire');
        return answer(true, input.intent === 'retire' ? `テンプレート「${t.title}」を使用停止にしました。` : `テンプレート「${t.title}」を再び使えるようにしました。`);
      }
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // A refusal of the content (a title in use) belongs beside the title.
    const errors = error.status === 400 && 'title' in input ? { title: error.message } : undefined;
    return answer(false, error.message, { errors, values }, error.status);
  }
}

function TemplateFields({ prefix, defaults, errors }: { prefix: string; defaults: Values; errors: FieldErrors | null }) {
  const field = (name: 'title' | 'body') => ({
    id: `${prefix}-${name}`,
    name,
    required: true,
    defaultValue: defaults[name],
    'aria-invalid': errors?.[name] ? true : undefined,
    'aria-describedby': [`${prefix}-${name}-hint`, errors?.[name] ? `${prefix}-${name}-error` : ''].join(' ').trim(),
  });
  const error = (name: 'title' | 'body') =>
    errors?.[name] ? (
      <p className="field-error" id={`${prefix}-${name}-error`}>
        {errors[name]}
      </p>
    ) : null;
  return (
    <>
      <div className="field">
        <label htmlFor={`${prefix}-title`}>件名</label>
        <p className="hint" id={`${prefix}-title-hint`}>
          {TEMPLATE_MESSAGES.titleHint}
        </p>
        <input type="text" {...field('title')} />
        {error('title')}
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-body`}>本文</label>
        <p className="hint" id={`${prefix}-body-hint`}>
          {TEMPLATE_MESSAGES.bodyHint}
        </p>
        <textarea rows={6} {...field('body')} />
        {error('body')}
      </div>
    </>
  );
}

export default function StaffTemplates() {
  const { isAdmin, templates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useIsPending();
  const messageRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result) messageRef.current?.focus();
  }, [result]);
  const failed = result && !result.ok ? result : undefined;
  // A form that failed keeps what was typed, with the errors beside the fields
  // (a refusal that names no field goes beside the title); a form that was
  // saved re-mounts from the loader's data, so the add form is empty again.
  const errorsFor = (formId: string): FieldErrors | null =>
    failed?.formId === formId ? (failed.errors && Object.keys(failed.errors).length ? failed.errors : { title: failed.message }) : null;
  const valuesFor = (formId: string, fallback: Values) => (failed?.formId === formId && failed.values ? failed.values : fallback);
  const keyFor = (formId: string) => (result?.formId === formId ? result.key : formId);

  return (
    <div>
      <h1>回答テンプレート</h1>
      <p>
        回答の作成画面で「回答欄に挿入」を押すと、選んだテンプレートの本文が回答欄に入ります。挿入後、意見に合わせて書き換えてください。
        {isAdmin ? '' : 'テンプレートの追加・編集は管理者が行います。'}
      </p>
      {result ? (
        <div ref={messageRef} tabIndex={-1} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </div>
      ) : null}

      <h2>テンプレート一覧</h2>
      {templates.length === 0 ? <p>テンプレートはまだありません。</p> : null}
      <ul className="unit-list">
        {templates.map((t) => {
          const formId = `template-${t.id}`;
          return (
            <li key={t.id} className={t.retiredAt ? 'unit-list__retired' : undefined}>
              <h3 id={`${formId}-title`}>
                {t.title}
                {t.retiredAt ? `(${formatDateTime(t.retiredAt)} に使用停止)` : ''}
              </h3>
              <p className="user-text">{t.body}</p>
              {isAdmin ? (
                <>
                  <details open={failed?.formId === formId || undefined}>
                    <summary>「{t.title}」を編集</summary>
                    <Form method="post" aria-labelledby={`${formId}-title`} key={keyFor(formId)}>
                      <input type="hidden" name="intent" value="update" />
                      <input type="hidden" name="templateId" value={t.id} />
                      <TemplateFields prefix={formId} defaults={valuesFor(formId, { title: t.title, body: t.body })} errors={errorsFor(formId)} />
                      <button type="submit" disabled={busy}>
                        変更を保存する
                      </button>
                    </Form>
                  </details>
                  <Form method="post">
                    <input type="hidden" name="intent" value={t.retiredAt ? 'restore' : 'retire'} />
                    <input type="hidden" name="templateId" value={t.id} />
                    <button type="submit" className="button--secondary" disabled={busy}>
                      {t.retiredAt ? `「${t.title}」を再び使う` : `「${t.title}」の使用を停止する`}
                    </button>
                  </Form>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>

      {isAdmin ? (
        <>
          <h2 id="new-template">テンプレートを追加</h2>
          <Form method="post" aria-labelledby="new-template" key={keyFor('new')}>
            <input type="hidden" name="intent" value="create" />
            <TemplateFields prefix="new" defaults={valuesFor('new', { title: '', body: '' })} errors={errorsFor('new')} />
            <button type="submit" disabled={busy}>
              テンプレートを追加する
            </button>
          </Form>
        </>
      ) : null}
    </div>
  );
}
