import { useFetcher } from '@remix-run/react';
import { startTransition, useEffect, useRef, useState, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
// Not ~/schemas/opinion: that module brings zod into every reader's download.
import {
  HONEYPOT_FIELD,
  OPINION_LIMITS,
  type OpinionActionData,
  type OpinionField,
  type OpinionFieldErrors,
  type OpinionFormValues,
} from '~/schemas/opinion-fields';
import { itemHeading, opinionsAbout } from '~/utils/format';
import type { AttachmentLimits } from '~/schemas/attachment-rules';
import { AttachmentPicker } from './attachment-picker';

export type OpinionFormSection = {
  /** 0 = the notice as a whole */
  number: number;
  title: string;
  items: Array<{ number: number; heading: string }>;
};

// Focus order when errors come back: the first invalid field in form order.
const FIELD_ORDER: OpinionField[] = ['item', 'body', 'name', 'email', 'phone', 'replyWanted', 'publicOk', 'consent'];

/**
 * The opinion form under a section: a native <details> (opens without
 * JavaScript) around a form that posts to the report's opinions action. With
 * JavaScript it submits in place through a fetcher; without, it is a plain
 * POST answered by a redirect to the receipt or a 400 page with this form.
 *
 * `deferred` (the report page's fourteen forms, decision 017): the server
 * sends the form inside <noscript>, which a browser running JavaScript keeps
 * as one text node instead of some fifty elements to parse, style and scan;
 * rendered by React (a client-side navigation), the form's fields come when
 * the <details> is first opened (before that, only the form with its hidden
 * fields). A document load of the report page is not hydrated at all: there
 * the root's StaticPageScript turns the <noscript> copy into the form when it
 * is opened, and it posts as plain HTML.
 */
export function OpinionForm({
  slug,
  section,
  formToken,
  initialValues,
  initialErrors,
  initialMessage,
  open,
  attachmentLimits,
  noticeLang,
  deferred = false,
}: {
  slug: string;
  section: OpinionFormSection;
  formToken: string;
  initialValues?: Partial<OpinionFormValues>;
  initialErrors?: OpinionFieldErrors;
  initialMessage?: string;
  open?: boolean;
  /** Files with the opinion (absent or maxFiles 0: no file field). */
  attachmentLimits?: AttachmentLimits;
  /** The language of the notice text (section and item headings) on this page. */
  noticeLang?: string;
  /** In <noscript> in the server's HTML; with JavaScript the fields are rendered when the form is first opened. */
  deferred?: boolean;
}) {
  const { t } = useTranslation('reports');
  const fetcher = useFetcher<OpinionActionData>();
  const [hydrated, setHydrated] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const submittingRef = useRef(false);
  const detailsRef = useRef<HTMLDetailsElement>(null);
  // Deferred: whether the fields have been asked for (the form was opened once).
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    if (!deferred) return setHydrated(true);
    // Opened before the page hydrated: no toggle event will say so.
    const openAlready = detailsRef.current?.open ?? false;
    startTransition(() => {
      setHydrated(true);
      if (openAlready) setOpened(true);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const n = section.number;
  const id = (field: string) => `op-${n}-${field}`;
  const busy = fetcher.state !== 'idle';
  const data = fetcher.data;
  const errors: OpinionFieldErrors = data ? (data.status === 'invalid' ? data.errors : {}) : (initialErrors ?? {});
  const message = data ? (data.status === 'error' ? data.message : undefined) : initialMessage;
  const values = initialValues ?? {};
  // Empty defaults are left out of the markup (value="" and selected="" on the
  // first option are what the browser assumes anyway): 14 forms on the page.
  const initial = (field: 'item' | 'body' | 'name' | 'email' | 'phone') => values[field] || undefined;
  const firstInvalid = FIELD_ORDER.find((f) => errors[f]);
  const errorCount = FIELD_ORDER.filter((f) => errors[f]).length;

  useEffect(() => {
    if (fetcher.state === 'idle') submittingRef.current = false;
  }, [fetcher.state]);

  useEffect(() => {
    if (!data) return;
    if (data.status === 'sent') doneRef.current?.focus();
    else if (data.status === 'invalid') {
      const first = FIELD_ORDER.find((f) => data.errors[f]);
      if (first) formRef.current?.querySelector<HTMLElement>(`#${id(first)}`)?.focus();
    } else formRef.current?.querySelector<HTMLElement>(`#${id('message')}`)?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  const summary = n === 0 ? t('form.summaryWhole') : t('form.summary');

  if (data?.status === 'sent') {
    return (
      <details className="opinion-form" open>
        <summary>{summary}</summary>
        <div>
          <div className="notice opinion-done" ref={doneRef} tabIndex={-1} id={id('done')} role="status">
            <p>
              {t('form.sent.before')}
              <strong className="tracking-number">{data.trackingNumber}</strong>
              {t('form.sent.after')}
            </p>
            <p>{t('form.sent.keep')}</p>
            {data.receiptToken ? (
              <p>
                <a href={`/receipts/${data.receiptToken}`}>{t('form.sent.receiptLink')}</a>
              </p>
            ) : null}
          </div>
        </div>
      </details>
    );
  }

  const describedBy = (field: OpinionField, hint?: boolean) =>
    [hint ? id(`${field}-hint`) : null, errors[field] ? id(`${field}-error`) : null].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: OpinionField) =>
    errors[field] ? (
      <p className="field-error" id={id(`${field}-error`)}>
        {errors[field]}
      </p>
    ) : null;
  const invalid = (field: OpinionField) => (errors[field] ? true : undefined);
  // Without JavaScript the 400 page has no effect to move focus: autofocus does it.
  const autoFocus = (field: OpinionField) => !data && !!initialErrors && firstInvalid === field;

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

  const form = () => (
    <fetcher.Form
      method="post"
      encType={attachmentLimits && attachmentLimits.maxFiles > 0 ? 'multipart/form-data' : undefined}
      action={`/reports/${slug}/opinions`}
      noValidate
      ref={formRef}
      id={id('form')}
      aria-label={opinionsAbout({ sectionNumber: n, sectionTitle: section.title }, 'long', t)}
      onSubmit={(event) => {
        // A double click must send one opinion: the second submit is dropped
        // before React has re-rendered the disabled button.
        if (submittingRef.current) event.preventDefault();
        else submittingRef.current = true;
      }}
    >
      <input type="hidden" name="section" value={n} />
      {/* Uncontrolled: the page cache fills in a token per response; a re-render must not undo it. */}
      <input type="hidden" name="formToken" defaultValue={values.formToken || formToken} />
      {hydrated ? <input type="hidden" name="_js" value="1" /> : null}
      {!deferred || opened || typeof document === 'undefined' ? fields() : null}
    </fetcher.Form>
  );

  const fields = () => (
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

      <div className="field">
        <label htmlFor={id('name')}>{t('form.name')}</label>
        <input
          type="text"
          id={id('name')}
          name="name"
          autoComplete="name"
          defaultValue={initial('name')}
          aria-invalid={invalid('name')}
          aria-describedby={describedBy('name')}
          autoFocus={autoFocus('name')}
        />
        {fieldError('name')}
      </div>

      <div className="field">
        <label htmlFor={id('email')}>{t('form.email')}</label>
        <p className="hint" id={id('email-hint')}>
          {t('form.emailHint')}
        </p>
        <input
          type="email"
          id={id('email')}
          name="email"
          autoComplete="email"
          inputMode="email"
          maxLength={OPINION_LIMITS.emailMax}
          defaultValue={initial('email')}
          aria-invalid={invalid('email')}
          aria-describedby={describedBy('email', true)}
          autoFocus={autoFocus('email')}
        />
        {fieldError('email')}
      </div>

      <div className="field">
        <label htmlFor={id('phone')}>{t('form.phone')}</label>
        <input
          type="tel"
          id={id('phone')}
          name="phone"
          autoComplete="tel"
          defaultValue={initial('phone')}
          aria-invalid={invalid('phone')}
          aria-describedby={describedBy('phone')}
          autoFocus={autoFocus('phone')}
        />
        {fieldError('phone')}
      </div>

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

  return (
    <details
      className="opinion-form"
      open={open || undefined}
      ref={detailsRef}
      onToggle={(event) => {
        if (event.currentTarget.open) startTransition(() => setOpened(true));
      }}
    >
      {/* In a transition: the fields may wait for a catalog (attachments) after a client-side navigation. */}
      <summary onClick={() => startTransition(() => setOpened(true))}>{summary}</summary>
      <div>
        {deferred ? (
          <>
            {/* The browser ignores what React renders in <noscript>, so only the server renders the form there. */}
            <noscript>{typeof document === 'undefined' ? form() : null}</noscript>
            {hydrated ? form() : null}
          </>
        ) : (
          form()
        )}
      </div>
    </details>
  );
}
