import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { INTL_LOCALES, isLanguage } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { ADMIN_MESSAGE_VALUES, formMessage, formMessages } from '~/schemas/admin-messages';
import { STAFF_ADMIN_LIMITS, unitActionSchema } from '~/schemas/staff-admin';
import { createUnit, listUnits, restoreUnit, retireUnit, updateUnit } from '~/models/units.server';
import { getDb } from '~/server/db.server';
import { parseForm, type FieldErrors, type FormValues } from '~/utils/form.server';
import { formatDateTime } from '~/utils/local-time';
import { requireUser } from '~/server/session.server';
import { UserError } from '~/utils/user-error.server';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin');
  const { t } = await getRequestT(request, 'admin');
  return { title: t('units.meta'), units: await listUnits(getDb(), { includeRetired: true }) };
}

type UnitValues = { name: string; email: string };
type ActionResult =
  | { ok: true; message: string }
  | { ok: false; message: string; formId: string; errors?: FieldErrors; values?: UnitValues };

/** Which form on the page an answer belongs to: 'new', 'unit-<id>', or 'none' when the id was bad. */
function formIdOf(values: FormValues, errors: FieldErrors = {}): string {
  if (values.intent === 'create') return 'new';
  return errors.unitId ? 'none' : `unit-${values.unitId ?? ''}`;
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin');
  const db = getDb();
  const { t } = await getRequestT(request, 'admin');
  const form = await parseForm(request, unitActionSchema);
  const values = { name: form.values.name ?? '', email: form.values.email ?? '' };
  if (!form.success) {
    const formId = formIdOf(form.values, form.errors);
    const fieldsWrong = Boolean(form.errors.name || form.errors.email);
    return data<ActionResult>(
      fieldsWrong
        ? { ok: false, formId, message: t('checkInput'), errors: formMessages(t, form.errors), values }
        : { ok: false, formId, message: form.formError ? formMessage(t, form.formError) : t('checkInput') },
      { status: 400 },
    );
  }
  const input = form.data;
  const formId = formIdOf(form.values);
  try {
    switch (input.intent) {
      case 'create': {
        const unit = await createUnit(db, actor, input);
        return { ok: true, message: t('units.created', { name: unit.name }) } satisfies ActionResult;
      }
      case 'update': {
        const unit = await updateUnit(db, actor, input.unitId, input);
        return { ok: true, message: t('units.updated', { name: unit.name }) } satisfies ActionResult;
      }
      case 'retire': {
        const unit = await retireUnit(db, actor, input.unitId);
        return { ok: true, message: t('units.retired', { name: unit.name }) } satisfies ActionResult;
      }
      case 'restore': {
        const unit = await restoreUnit(db, actor, input.unitId);
        return { ok: true, message: t('units.restored', { name: unit.name }) } satisfies ActionResult;
      }
    }
  } catch (error) {
    if (error instanceof UserError) return data<ActionResult>({ ok: false, formId, message: error.describe(t, ADMIN_MESSAGE_VALUES), values }, { status: error.status });
    throw error;
  }
}

function UnitFields({ prefix, errors, defaults }: { prefix: string; errors: FieldErrors; defaults: UnitValues }) {
  const { t } = useTranslation('admin');
  return (
    <>
      <div className="field">
        <label htmlFor={`${prefix}-name`}>{t('units.name')}</label>
        <input
          id={`${prefix}-name`}
          type="text"
          name="name"
          required
          maxLength={STAFF_ADMIN_LIMITS.unitNameMax}
          defaultValue={defaults.name}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={errors.name ? `${prefix}-name-error` : undefined}
        />
        {errors.name ? (
          <p className="field-error" id={`${prefix}-name-error`}>
            {errors.name}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-email`}>{t('units.email')}</label>
        <input
          id={`${prefix}-email`}
          type="email"
          name="email"
          defaultValue={defaults.email}
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={errors.email ? `${prefix}-email-error` : `${prefix}-email-hint`}
        />
        <p className="hint" id={`${prefix}-email-hint`}>
          {t('units.emailHint')}
        </p>
        {errors.email ? (
          <p className="field-error" id={`${prefix}-email-error`}>
            {errors.email}
          </p>
        ) : null}
      </div>
    </>
  );
}

export default function StaffUnits() {
  const { units } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const messageRef = useRef<HTMLDivElement>(null);
  const { t, i18n } = useTranslation('admin');
  const locale = INTL_LOCALES[isLanguage(i18n.language) ? i18n.language : 'ja'];
  useEffect(() => {
    if (result) messageRef.current?.focus();
  }, [result]);
  const failed = result && !result.ok ? result : undefined;
  const errorsFor = (formId: string) => (failed?.formId === formId ? (failed.errors ?? {}) : {});
  const valuesFor = (formId: string, fallback: UnitValues) =>
    failed?.formId === formId && failed.values ? failed.values : fallback;

  return (
    <div>
      <h1>{t('units.heading')}</h1>
      {result ? (
        <div ref={messageRef} tabIndex={-1} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </div>
      ) : null}

      <h2>{t('units.list')}</h2>
      {units.length === 0 ? <p>{t('units.empty')}</p> : null}
      <ul className="unit-list">
        {units.map((unit) => {
          const formId = `unit-${unit.id}`;
          return (
            <li key={unit.id} className={unit.retiredAt ? 'unit-list__retired' : undefined}>
              <h3 id={`${formId}-title`}>
                {unit.name}
                {unit.retiredAt ? t('units.retiredAt', { at: formatDateTime(unit.retiredAt, locale) }) : ''}
              </h3>
              <details open={failed?.formId === formId || undefined}>
                <summary>{t('units.edit', { name: unit.name })}</summary>
                <Form method="post" aria-labelledby={`${formId}-title`}>
                  <input type="hidden" name="intent" value="update" />
                  <input type="hidden" name="unitId" value={unit.id} />
                  <UnitFields prefix={formId} errors={errorsFor(formId)} defaults={valuesFor(formId, { name: unit.name, email: unit.email ?? '' })} />
                  <button type="submit">{t('units.save')}</button>
                </Form>
              </details>
              <p>{t('units.notify', { email: unit.email ?? t('units.noEmail') })}</p>
              <Form method="post">
                <input type="hidden" name="intent" value={unit.retiredAt ? 'restore' : 'retire'} />
                <input type="hidden" name="unitId" value={unit.id} />
                <button type="submit" className="button--secondary">
                  {unit.retiredAt ? t('units.restore', { name: unit.name }) : t('units.retire', { name: unit.name })}
                </button>
              </Form>
            </li>
          );
        })}
      </ul>
      <p className="hint">{t('units.retireHint')}</p>

      <h2 id="new-unit">{t('units.add')}</h2>
      <Form method="post" noValidate aria-labelledby="new-unit">
        <input type="hidden" name="intent" value="create" />
        <UnitFields prefix="new" errors={errorsFor('new')} defaults={valuesFor('new', { name: '', email: '' })} />
        <button type="submit">{t('units.addSubmit')}</button>
      </Form>
    </div>
  );
}
