// /staff/templates — reply templates. Admins create, edit, retire and restore
// them; moderators read them here and insert them from the reply editor.
// Titles are unique among the templates in use (the models refuse a second
// one), and the add form empties itself after a save, so a second press of
// the button cannot store the same template twice.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { INTL_LOCALES, isLanguage } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { ADMIN_MESSAGE_VALUES, formMessage, formMessages } from '~/schemas/admin-messages';
import { createReplyTemplate, listReplyTemplates, setReplyTemplateRetired, updateReplyTemplate } from '~/models/reply-templates.server';
import { TEMPLATE_LIMITS, templateFormSchema } from '~/schemas/reply-template';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm, type FieldErrors } from '~/utils/form.server';
import { formatDateTime } from '~/utils/local-time';
import { useIsPending } from '~/utils/use-is-pending';
import { UserError } from '~/utils/user-error.server';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'replies');
  const isAdmin = user.role === 'admin';
  const templates = await listReplyTemplates(getDb(), { includeRetired: isAdmin });
  const { t } = await getRequestT(request, 'admin');
  return { title: t('templates.meta'), isAdmin, templates };
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
  const { t } = await getRequestT(request, 'admin');
  const parsed = await parseForm(request, templateFormSchema);
  const { intent, templateId } = parsed.values;
  const formId = intent === 'create' ? 'new' : /^[1-9]\d{0,9}$/.test(templateId ?? '') ? `template-${templateId}` : 'none';
  const values = { title: parsed.values.title ?? '', body: parsed.values.body ?? '' };
  const answer = (ok: boolean, message: string, more: Partial<ActionResult> = {}, status = 200) =>
    data<ActionResult>({ ok, key: `${Date.now()}`, message, formId, ...more }, { status });
  if (!parsed.success) {
    return answer(false, formMessage(t, parsed.formError ?? 'admin:validation.intentInvalid'), { errors: formMessages(t, parsed.errors), values }, 400);
  }

  const input = parsed.data;
  const db = getDb();
  try {
    switch (input.intent) {
      case 'create': {
        const template = await createReplyTemplate(db, actor, input);
        return answer(true, t('templates.created', { title: template.title }));
      }
      case 'update': {
        const template = await updateReplyTemplate(db, actor, input.templateId, input);
        return answer(true, t('templates.updated', { title: template.title }));
      }
      case 'retire':
      case 'restore': {
        const template = await setReplyTemplateRetired(db, actor, input.templateId, input.intent === 'retire');
        return answer(true, t(input.intent === 'retire' ? 'templates.retired' : 'templates.restored', { title: template.title }));
      }
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // A refusal of the content (a title in use) belongs beside the title.
    const message = error.describe(t, ADMIN_MESSAGE_VALUES);
    const errors = error.status === 400 && 'title' in input ? { title: message } : undefined;
    return answer(false, message, { errors, values }, error.status);
  }
}

function TemplateFields({ prefix, defaults, errors }: { prefix: string; defaults: Values; errors: FieldErrors | null }) {
  const { t } = useTranslation('admin');
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
        <label htmlFor={`${prefix}-title`}>{t('templates.title')}</label>
        <p className="hint" id={`${prefix}-title-hint`}>
          {t('templates.titleHint', { titleMax: TEMPLATE_LIMITS.titleMax })}
        </p>
        <input type="text" {...field('title')} />
        {error('title')}
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-body`}>{t('templates.body')}</label>
        <p className="hint" id={`${prefix}-body-hint`}>
          {t('templates.bodyHint', { bodyMax: TEMPLATE_LIMITS.bodyMax })}
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
  const { t, i18n } = useTranslation('admin');
  const locale = INTL_LOCALES[isLanguage(i18n.language) ? i18n.language : 'ja'];
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
      <h1>{t('templates.heading')}</h1>
      <p>
        {t('templates.intro')}
        {isAdmin ? '' : t('templates.adminOnly')}
      </p>
      {result ? (
        <div ref={messageRef} tabIndex={-1} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </div>
      ) : null}

      <h2>{t('templates.list')}</h2>
      {templates.length === 0 ? <p>{t('templates.empty')}</p> : null}
      <ul className="unit-list">
        {templates.map((template) => {
          const formId = `template-${template.id}`;
          return (
            <li key={template.id} className={template.retiredAt ? 'unit-list__retired' : undefined}>
              <h3 id={`${formId}-title`}>
                {template.title}
                {template.retiredAt ? t('templates.retiredAt', { at: formatDateTime(template.retiredAt, locale) }) : ''}
              </h3>
              <p className="user-text">{template.body}</p>
              {isAdmin ? (
                <>
                  <details open={failed?.formId === formId || undefined}>
                    <summary>{t('templates.edit', { title: template.title })}</summary>
                    <Form method="post" aria-labelledby={`${formId}-title`} key={keyFor(formId)}>
                      <input type="hidden" name="intent" value="update" />
                      <input type="hidden" name="templateId" value={template.id} />
                      <TemplateFields prefix={formId} defaults={valuesFor(formId, { title: template.title, body: template.body })} errors={errorsFor(formId)} />
                      <button type="submit" disabled={busy}>
                        {t('templates.save')}
                      </button>
                    </Form>
                  </details>
                  <Form method="post">
                    <input type="hidden" name="intent" value={template.retiredAt ? 'restore' : 'retire'} />
                    <input type="hidden" name="templateId" value={template.id} />
                    <button type="submit" className="button--secondary" disabled={busy}>
                      {template.retiredAt ? t('templates.restore', { title: template.title }) : t('templates.retire', { title: template.title })}
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
          <h2 id="new-template">{t('templates.add')}</h2>
          <Form method="post" aria-labelledby="new-template" key={keyFor('new')}>
            <input type="hidden" name="intent" value="create" />
            <TemplateFields prefix="new" defaults={valuesFor('new', { title: '', body: '' })} errors={errorsFor('new')} />
            <button type="submit" disabled={busy}>
              {t('templates.addSubmit')}
            </button>
          </Form>
        </>
      ) : null}
    </div>
  );
}
