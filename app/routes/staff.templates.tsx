// /staff/templates — reply templates. Admins create, edit, retire and restore
// them; moderators read them here and insert them from the reply editor.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { z } from 'zod';
import {
  createReplyTemplate,
  listReplyTemplates,
  setReplyTemplateRetired,
  TEMPLATE_BODY_MAX_CHARS,
  TEMPLATE_TITLE_MAX_CHARS,
  updateReplyTemplate,
} from '~/models/reply-templates.server';
import { getDb } from '~/server/db.server';
import { readFormBody } from '~/utils/form.server';
import { formatDateTime } from '~/utils/local-time';
import { requireUser } from '~/server/session.server';
import { UserError } from '~/utils/user-error.server';

export const meta: MetaFunction = () => [{ title: '回答テンプレート | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'replies');
  const isAdmin = user.role === 'admin';
  const templates = await listReplyTemplates(getDb(), { includeRetired: isAdmin });
  return { isAdmin, templates };
}

const TemplateForm = z.object({
  intent: z.enum(['create', 'update', 'retire', 'restore']),
  templateId: z.string().optional(),
  title: z.string().max(TEMPLATE_TITLE_MAX_CHARS * 4).default(''),
  body: z.string().max(TEMPLATE_BODY_MAX_CHARS * 2).default(''),
});

type ActionResult = { ok: boolean; message: string; formId: string; values?: { title: string; body: string } };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin');
  const db = getDb();
  const raw = Object.fromEntries([...(await readFormBody(request)).entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
  const parsed = TemplateForm.safeParse(raw);
  if (!parsed.success) {
    return data<ActionResult>({ ok: false, formId: 'none', message: '入力内容が長すぎるか、操作の種類が正しくありません。' }, { status: 400 });
  }
  const { intent, title, body } = parsed.data;
  const id = Number(parsed.data.templateId);
  if (intent !== 'create' && !(Number.isInteger(id) && id > 0)) {
    return data<ActionResult>({ ok: false, formId: 'none', message: 'テンプレートの指定が正しくありません。' }, { status: 400 });
  }
  const formId = intent === 'create' ? 'new' : `template-${id}`;
  try {
    if (intent === 'create') {
      const t = await createReplyTemplate(db, actor, { title, body });
      return { ok: true, formId, message: `テンプレート「${t.title}」を追加しました。` } satisfies ActionResult;
    }
    if (intent === 'update') {
      const t = await updateReplyTemplate(db, actor, id, { title, body });
      return { ok: true, formId, message: `テンプレート「${t.title}」を更新しました。` } satisfies ActionResult;
    }
    const t = await setReplyTemplateRetired(db, actor, id, intent === 'retire');
    return {
      ok: true,
      formId,
      message: intent === 'retire' ? `テンプレート「${t.title}」を使用停止にしました。` : `テンプレート「${t.title}」を再び使えるようにしました。`,
    } satisfies ActionResult;
  } catch (error) {
    if (error instanceof UserError) return data<ActionResult>({ ok: false, formId, message: error.message, values: { title, body } }, { status: error.status });
    throw error;
  }
}

function TemplateFields({ prefix, defaults, error }: { prefix: string; defaults: { title: string; body: string }; error: string | null }) {
  const describedBy = error ? `${prefix}-error` : undefined;
  return (
    <>
      {error ? (
        <p className="field-error" id={`${prefix}-error`}>
          {error}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={`${prefix}-title`}>件名</label>
        <input
          id={`${prefix}-title`}
          type="text"
          name="title"
          required
          maxLength={TEMPLATE_TITLE_MAX_CHARS}
          defaultValue={defaults.title}
          aria-describedby={describedBy}
        />
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-body`}>本文</label>
        <textarea
          id={`${prefix}-body`}
          name="body"
          rows={6}
          required
          maxLength={TEMPLATE_BODY_MAX_CHARS}
          defaultValue={defaults.body}
          aria-describedby={describedBy}
        />
      </div>
    </>
  );
}

export default function StaffTemplates() {
  const { isAdmin, templates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const messageRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result) messageRef.current?.focus();
  }, [result]);
  const failed = result && !result.ok ? result : undefined;
  const errorFor = (formId: string) => (failed?.formId === formId ? failed.message : null);
  const valuesFor = (formId: string, fallback: { title: string; body: string }) => (failed?.formId === formId && failed.values ? failed.values : fallback);

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
            <li key={t.id} className={t.retired_at ? 'unit-list__retired' : undefined}>
              <h3 id={`${formId}-title`}>
                {t.title}
                {t.retired_at ? `(${formatDateTime(t.retired_at)} に使用停止)` : ''}
              </h3>
              <p className="user-text">{t.body}</p>
              {isAdmin ? (
                <>
                  <details open={failed?.formId === formId || undefined}>
                    <summary>「{t.title}」を編集</summary>
                    <Form method="post" aria-labelledby={`${formId}-title`}>
                      <input type="hidden" name="intent" value="update" />
                      <input type="hidden" name="templateId" value={t.id} />
                      <TemplateFields prefix={formId} defaults={valuesFor(formId, { title: t.title, body: t.body })} error={errorFor(formId)} />
                      <button type="submit">変更を保存する</button>
                    </Form>
                  </details>
                  <Form method="post">
                    <input type="hidden" name="intent" value={t.retired_at ? 'restore' : 'retire'} />
                    <input type="hidden" name="templateId" value={t.id} />
                    <button type="submit" className="button--secondary">
                      {t.retired_at ? `「${t.title}」を再び使う` : `「${t.title}」の使用を停止する`}
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
          <Form method="post" aria-labelledby="new-template">
            <input type="hidden" name="intent" value="create" />
            <TemplateFields prefix="new" defaults={valuesFor('new', { title: '', body: '' })} error={errorFor('new')} />
            <button type="submit">テンプレートを追加する</button>
          </Form>
        </>
      ) : null}
    </div>
  );
}
