// Staff record an opinion that arrived by phone, post or visit. It gets a
// tracking number like any other and joins the same inbox; the next page is a
// printable acknowledgement letter to send back.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef, type ReactNode } from 'react';
import { recordOfflineOpinion } from '~/models/opinion-records.server';
import { OpinionTargetError } from '~/models/opinion-targets.server';
import { listReportOutlines } from '~/models/report-outlines.server';
import { listReports } from '~/models/reports.server';
import { isAcceptingOpinions, periodState } from '~/domain/comment-period';
import { getRequestT } from '~/i18n/i18n.server';
import { staffMeta, useStaffFormat } from '~/i18n/staff-format';
import { OPINION_LIMITS } from '~/schemas/opinion-fields';
import { ADDRESS_MAX, shanghaiLocalNow, STAFF_CHANNELS, STAFF_OPINION_MESSAGE_VALUES, staffRecordSchema, type StaffRecordField } from '~/schemas/staff-opinion';
import { getDb } from '~/server/db.server';
import { parseFormData, type FieldErrors, type FormValues } from '~/utils/form.server';
import { AttachmentPicker } from '~/components/attachment-picker';
import { AttachmentRefused, storeAttachments, type StoredAttachment } from '~/server/attachment-content.server';
import { discardReceivedFiles, readUploadForm, staffAttachmentLimits } from '~/server/attachment-upload.server';
import { useIsPending } from '~/utils/use-is-pending';
import { requireUser } from '~/server/session.server';
import { createFormToken } from '~/domain/tracking-number.server';

export const handle = { i18n: ['attachments'] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => staffMeta(data?.title, matches);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const { t } = await getRequestT(request, 'staff');
  const [reports, summaries] = await Promise.all([listReportOutlines(getDb()), listReports(getDb())]);
  const now = new Date();
  // Recording stays open after a close; such an opinion is marked 期間外.
  const outsidePeriod = summaries
    .filter((r) => !isAcceptingOpinions(r, now))
    .map((r) => ({ title: r.title, state: periodState(r, now) }));
  return {
    title: `${t('recordForm.title')} | ${t('meta.suffix')}`,
    outsidePeriod,
    reports: reports.map((r) => ({
      id: r.id,
      title: r.title,
      sections: r.sections.map((s) => ({ number: s.number, title: s.title, items: s.items.map((i) => ({ number: i.number, heading: i.heading })) })),
    })),
    now: shanghaiLocalNow(),
    formToken: createFormToken(),
    attachmentLimits: staffAttachmentLimits(),
  };
}

type ActionResult = { errors: FieldErrors; values: FormValues };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  // Scans come as multipart (streamed to temp files, removed whatever happens).
  const upload = await readUploadForm(request, staffAttachmentLimits());
  try {
    const form = parseFormData(upload.form, staffRecordSchema());
    if (upload.refusal) {
      return data<ActionResult>({ errors: { attachments: upload.refusal.message }, values: form.values }, { status: upload.refusal.status });
    }
    if (!form.success) return data<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });
    const { target, ...fields } = form.data;
    let attachments: StoredAttachment[];
    try {
      attachments = await storeAttachments(upload.files);
    } catch (error) {
      if (!(error instanceof AttachmentRefused)) throw error;
      const { t } = await getRequestT(request, 'attachments');
      return data<ActionResult>({ errors: { attachments: error.describe(t) }, values: form.values }, { status: 415 });
    }
    try {
      const created = await recordOfflineOpinion(getDb(), user, {
        ...fields,
        reportId: target.reportId,
        sectionNumber: target.section,
        itemNumber: target.item,
        attachments,
      });
      return redirect(`/staff/opinions/${created.id}/ack`);
    } catch (error) {
      if (!(error instanceof OpinionTargetError)) throw error;
      return data<ActionResult>(
        { errors: { target: 'recordForm.errors.targetMissing' }, values: form.values },
        { status: 400 },
      );
    }
  } finally {
    discardReceivedFiles(upload.files);
  }
}

const ORDER: StaffRecordField[] = ['channel', 'receivedAt', 'target', 'body', 'name', 'phone', 'email', 'address', 'replyWanted', 'publicOk'];

export default function RecordOpinionRoute() {
  const { reports, now, formToken, outsidePeriod, attachmentLimits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useIsPending();
  const fmt = useStaffFormat();
  const { t } = fmt;
  // Field errors are catalog keys (this page's and the public form's rules).
  const message = (text: string) => fmt.message(text, { ...OPINION_LIMITS, ...STAFF_OPINION_MESSAGE_VALUES });
  const values: FormValues = result?.values ?? { channel: 'phone', receivedAt: now, formToken };
  const v = (f: string) => values[f] ?? '';
  const errors = result?.errors ?? {};
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!result) return;
    const first = ORDER.find((f) => errors[f]);
    if (first) document.getElementById(first === 'channel' ? 'channel-phone' : first)?.focus();
    else summaryRef.current?.focus();
  }, [result, errors]);
  const err = (f: StaffRecordField) =>
    errors[f] ? (
      <p className="field-error" id={`${f}-error`}>
        {message(errors[f])}
      </p>
    ) : null;
  const aria = (f: StaffRecordField, hint?: string) => ({
    'aria-invalid': errors[f] ? true : undefined,
    'aria-describedby': [hint, errors[f] ? `${f}-error` : null].filter(Boolean).join(' ') || undefined,
  });
  const field = (f: StaffRecordField, label: ReactNode, control: ReactNode, hint?: ReactNode) => (
    <div className="field">
      <label htmlFor={f}>{label}</label>
      {hint ? (
        <p className="hint" id={`${f}-hint`}>
          {hint}
        </p>
      ) : null}
      {control}
      {err(f)}
    </div>
  );
  const required = <span className="required">{t('required')}</span>;
  const check = (f: 'replyWanted' | 'publicOk', label: string) => (
    <div className="field field--check">
      <input id={f} type="checkbox" name={f} defaultChecked={v(f) === 'on'} {...aria(f)} /> <label htmlFor={f}>{label}</label>
      {err(f)}
    </div>
  );

  return (
    <div className="record-opinion">
      <h1>{t('recordForm.title')}</h1>
      <p>{t('recordForm.intro')}</p>
      {Object.keys(errors).length > 0 ? (
        <div className="alert" role="alert" ref={summaryRef} tabIndex={-1}>
          {t('recordForm.summary')}
        </div>
      ) : null}
      {outsidePeriod.length > 0 ? (
        <div className="notice">
          <p>{t('recordForm.outsidePeriod')}</p>
          <ul>
            {outsidePeriod.map((r) => (
              <li key={r.title}>
                {t('recordForm.periodState', { title: r.title, state: t(`recordForm.period.${r.state}`) })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" noValidate encType="multipart/form-data">
        <input type="hidden" name="formToken" value={v('formToken')} />
        <fieldset className="field" aria-describedby={errors.channel ? 'channel-error' : undefined}>
          <legend>
            {t('recordForm.channel')}
            {required}
          </legend>
          {STAFF_CHANNELS.map((c) => (
            <span key={c} className="radio">
              <input type="radio" id={`channel-${c}`} name="channel" value={c} defaultChecked={v('channel') === c} />{' '}
              <label htmlFor={`channel-${c}`}>{fmt.channel(c)}</label>{' '}
            </span>
          ))}
          {err('channel')}
        </fieldset>
        {field(
          'receivedAt',
          <>
            {t('recordForm.receivedAt')}
            {required}
          </>,
          <input id="receivedAt" type="datetime-local" name="receivedAt" defaultValue={v('receivedAt')} required {...aria('receivedAt')} />,
        )}
        {field(
          'target',
          <>
            {t('recordForm.target')}
            {required}
          </>,
          <select id="target" name="target" defaultValue={v('target')} required {...aria('target')}>
            <option value="">{t('recordForm.choose')}</option>
            {reports.map((r) => (
              <optgroup key={r.id} label={reports.length > 1 ? r.title : t('recordForm.reportGroup')}>
                <option value={`${r.id}:0:`}>{fmt.target({ sectionNumber: 0 })}</option>
                {r.sections.map((s) => [
                  <option key={`${s.number}`} value={`${r.id}:${s.number}:`}>
                    {t('recordForm.wholeSection', { target: fmt.target({ sectionNumber: s.number, sectionTitle: s.title }) })}
                  </option>,
                  ...s.items.map((i) => (
                    <option key={`${s.number}-${i.number}`} value={`${r.id}:${s.number}:${i.number}`}>
                      {fmt.target({ sectionNumber: s.number, itemNumber: i.number, itemHeading: i.heading })}
                    </option>
                  )),
                ])}
              </optgroup>
            ))}
          </select>,
        )}
        {field(
          'body',
          <>
            {t('recordForm.body')}
            {required}
          </>,
          <textarea id="body" name="body" defaultValue={v('body')} required maxLength={OPINION_LIMITS.bodyMax} {...aria('body', 'body-hint')} />,
          t('recordForm.bodyHint', { min: OPINION_LIMITS.bodyMin, max: OPINION_LIMITS.bodyMax }),
        )}
        <fieldset className="field">
          <legend>{t('recordForm.contact')}</legend>
          {field(
            'name',
            t('recordForm.name'),
            <input id="name" type="text" name="name" defaultValue={v('name')} maxLength={OPINION_LIMITS.nameMax} autoComplete="off" {...aria('name')} />,
          )}
          {field(
            'phone',
            t('recordForm.phone'),
            <input id="phone" type="tel" name="phone" defaultValue={v('phone')} maxLength={OPINION_LIMITS.phoneMax} autoComplete="off" {...aria('phone')} />,
          )}
          {field(
            'email',
            t('recordForm.email'),
            <input id="email" type="email" name="email" defaultValue={v('email')} maxLength={OPINION_LIMITS.emailMax} autoComplete="off" {...aria('email')} />,
          )}
          {field(
            'address',
            t('recordForm.address'),
            <input id="address" type="text" name="address" defaultValue={v('address')} maxLength={ADDRESS_MAX} autoComplete="off" {...aria('address', 'address-hint')} />,
            t('recordForm.addressHint'),
          )}
        </fieldset>
        {check('replyWanted', t('recordForm.replyWanted'))}
        {check('publicOk', t('recordForm.publicOk'))}
        <p className="hint">{t('recordForm.consentHint')}</p>
        <AttachmentPicker limits={attachmentLimits} label={t('attachments:staff.recordPickerLabel')} error={result?.errors.attachments} />
        <button type="submit" disabled={busy}>
          {t('recordForm.submit')}
        </button>
      </Form>
    </div>
  );
}
