// The opinion form's fields: the measure, the text, name and contacts, the
// consents, the files and the honeypot, each with its hint and error wired
// to it for screen readers. State and submission live in ./opinion-form.
import type { ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
// Not ~/schemas/opinion: that module brings zod into every reader's download.
import {
  HONEYPOT_FIELD,
  OPINION_LIMITS,
  type OpinionField,
  type OpinionFieldErrors,
  type OpinionFormValues,
} from '~/schemas/opinion-fields';
import type { AttachmentLimits } from '~/schemas/attachment-rules';
import { itemHeading } from '~/utils/format';
import { AttachmentPicker } from './attachment-picker';
import type { OpinionFormSection } from './opinion-form';

// Focus order when errors come back: the first invalid field in form order.
export const FIELD_ORDER: OpinionField[] = [
  'item',
  'body',
  'name',
  'email',
  'phone',
  'replyWanted',
  'publicOk',
  'consent',
];

/** The id of a field (or of a part of the form) under section `n`: unique on the page, which has one form per section. */
export function opinionFieldId(n: number, field: string): string {
  return `op-${n}-${field}`;
}

export function OpinionFields({
  section,
  values,
  errors,
  message,
  autoFocusField,
  busy,
  attachmentLimits,
  noticeLang,
}: {
  section: OpinionFormSection;
  values: Partial<OpinionFormValues>;
  errors: OpinionFieldErrors;
  message?: string;
  /** The field to focus on load (the 400 page without JavaScript, which has no effect to move focus). */
  autoFocusField?: OpinionField;
  busy: boolean;
  attachmentLimits?: AttachmentLimits;
  noticeLang?: string;
}) {
  const { t } = useTranslation('reports');
  const id = (field: string) => opinionFieldId(section.number, field);
  // Empty defaults are left out of the markup (value="" and selected="" on the
  // first option are what the browser assumes anyway): 14 forms on the page.
  const initial = (field: 'item' | 'body' | 'name' | 'email' | 'phone') => values[field] || undefined;
  const errorCount = FIELD_ORDER.filter((f) => errors[f]).length;
  const describedBy = (field: OpinionField, hint?: boolean) =>
    [hint ? id(`${field}-hint`) : null, errors[field] ? id(`${field}-error`) : null].filter(Boolean).join(' ') ||
    undefined;
  const fieldError = (field: OpinionField) =>
    errors[field] ? (
      <p className="field-error" id={id(`${field}-error`)}>
        {errors[field]}
      </p>
    ) : null;
  const invalid = (field: OpinionField) => (errors[field] ? true : undefined);
  const autoFocus = (field: OpinionField) => autoFocusField === field;

  // The name and the contacts: optional, each with its browser autofill.
  const text = (
    field: 'name' | 'email' | 'phone',
    type: 'text' | 'email' | 'tel',
    autoComplete: string,
    hint?: string,
    extra?: { inputMode: 'email'; maxLength: number }
  ) => (
    <div className="field">
      <label htmlFor={id(field)}>{t(`form.${field}`)}</label>
      {hint ? (
        <p className="hint" id={id(`${field}-hint`)}>
          {hint}
        </p>
      ) : null}
      <input
        type={type}
        id={id(field)}
        name={field}
        autoComplete={autoComplete}
        {...extra}
        defaultValue={initial(field)}
        aria-invalid={invalid(field)}
        aria-describedby={describedBy(field, !!hint)}
        autoFocus={autoFocus(field)}
      />
      {fieldError(field)}
    </div>
  );

  const check = (field: 'replyWanted' | 'publicOk' | 'consent', label: ReactNode, required = false) => (
    <div className="field field--check">
      <input
        type="checkbox"
        id={id(field)}
        name={field}
        value="on"
        defaultChecked={values[field] ?? false}
        required={required}
        aria-invalid={invalid(field)}
        aria-describedby={describedBy(field)}
        autoFocus={autoFocus(field)}
      />{' '}
      <label htmlFor={id(field)}>
        {label}
        {required ? <span className="required">{t('form.required')}</span> : null}
      </label>
      {fieldError(field)}
    </div>
  );

  return (
    <>
      {message ? (
        <div className="alert" role="alert" id={id('message')} tabIndex={-1}>
          <p>{message}</p>
        </div>
      ) : errorCount > 0 ? (
        <div className="alert" role="alert">
          <p>{t('form.errorCount', { count: errorCount })}</p>
        </div>
      ) : null}

      {section.items.length > 0 ? (
        <div className="field">
          <label htmlFor={id('item')}>{t('form.item')}</label>
          <select
            id={id('item')}
            name="item"
            defaultValue={initial('item')}
            aria-invalid={invalid('item')}
            aria-describedby={describedBy('item')}
            autoFocus={autoFocus('item')}
          >
            <option value="">{t('form.itemWhole')}</option>
            {section.items.map((item) => (
              <option key={item.number} value={item.number} lang={noticeLang}>
                {itemHeading(t, item.number, item.heading)}
              </option>
            ))}
          </select>
          {fieldError('item')}
        </div>
      ) : null}

      <div className="field">
        <label htmlFor={id('body')}>
          {t('form.body')}
          <span className="required">{t('form.required')}</span>
        </label>
        <p className="hint" id={id('body-hint')}>
          {t('validation.opinion.bodyHint', { min: OPINION_LIMITS.bodyMin, max: OPINION_LIMITS.bodyMax })}
        </p>
        <textarea
          id={id('body')}
          name="body"
          rows={6}
          required
          defaultValue={initial('body')}
          aria-invalid={invalid('body')}
          aria-describedby={describedBy('body', true)}
          autoFocus={autoFocus('body')}
        />
        {fieldError('body')}
      </div>

      {text('name', 'text', 'name')}
      {text('email', 'email', 'email', t('form.emailHint'), { inputMode: 'email', maxLength: OPINION_LIMITS.emailMax })}
      {text('phone', 'tel', 'tel')}

      {check('replyWanted', t('form.replyWanted'))}
      {check('publicOk', t('form.publicOk'))}
      {check(
        'consent',
        <Trans t={t} i18nKey="form.consent" components={[<a key="privacy" href="/privacy" />]} />,
        true
      )}

      {/* After every text field: a body cut off at the size cap still carries what was typed. */}
      {attachmentLimits && attachmentLimits.maxFiles > 0 ? <AttachmentPicker limits={attachmentLimits} /> : null}

      <div className="hp-field" aria-hidden="true">
        <label htmlFor={id(HONEYPOT_FIELD)}>{t('form.honeypot')}</label>
        <input type="text" id={id(HONEYPOT_FIELD)} name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" />
      </div>

      <button type="submit" disabled={busy} aria-disabled={busy || undefined}>
        {busy ? t('form.sending') : t('form.submit')}
      </button>
    </>
  );
}
