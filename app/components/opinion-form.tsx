import { useFetcher } from '@remix-run/react';
import { startTransition, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
// Not ~/schemas/opinion: that module brings zod into every reader's download.
import type { OpinionActionData, OpinionFieldErrors, OpinionFormValues } from '~/schemas/opinion-fields';
import { opinionsAbout } from '~/utils/format';
import type { AttachmentLimits } from '~/schemas/attachment-rules';
import { FIELD_ORDER, OpinionFields, opinionFieldId } from './opinion-form-fields';

export type OpinionFormSection = {
  /** 0 = the notice as a whole */
  number: number;
  title: string;
  items: Array<{ number: number; heading: string }>;
};

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
  const id = (field: string) => opinionFieldId(n, field);
  const busy = fetcher.state !== 'idle';
  const data = fetcher.data;
  const errors: OpinionFieldErrors = data ? (data.status === 'invalid' ? data.errors : {}) : (initialErrors ?? {});
  const message = data ? (data.status === 'error' ? data.message : undefined) : initialMessage;
  const values = initialValues ?? {};
  // Without JavaScript the 400 page has no effect to move focus: autofocus does it.
  const autoFocusField = !data && initialErrors ? FIELD_ORDER.find((f) => errors[f]) : undefined;

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
      {!deferred || opened || typeof document === 'undefined' ? (
        <OpinionFields
          section={section}
          values={values}
          errors={errors}
          message={message}
          autoFocusField={autoFocusField}
          busy={busy}
          attachmentLimits={attachmentLimits}
          noticeLang={noticeLang}
        />
      ) : null}
    </fetcher.Form>
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
