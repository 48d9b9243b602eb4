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
import { isAcceptingOpinions, PERIOD_STATE_LABELS, periodState } from '~/domain/comment-period';
import { OPINION_LIMITS } from '~/schemas/opinion-fields';
import { ADDRESS_MAX, shanghaiLocalNow, STAFF_CHANNELS, staffRecordSchema, type StaffRecordField } from '~/schemas/staff-opinion';
import { getDb } from '~/server/db.server';
import { parseFormData, type FieldErrors, type FormValues } from '~/utils/form.server';
import { AttachmentPicker } from '~/components/attachment-picker';
import { AttachmentRefused, storeAttachments, type StoredAttachment } from '~/server/attachment-content.server';
import { discardReceivedFiles, readUploadForm, staffAttachmentLimits } from '~/server/attachment-upload.server';
import { formatTarget } from '~/utils/format';
import { useIsPending } from '~/utils/use-is-pending';
import { CHANNEL_LABELS } from '~/domain/labels';
import { requireUser } from '~/server/session.server';
import { createFormToken } from '~/domain/tracking-number.server';

export const meta: MetaFunction = () => [{ title: '電話・郵便・来庁の意見を記録 | 職員画面 | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const [reports, summaries] = await Promise.all([listReportOutlines(getDb()), listReports(getDb())]);
  const now = new Date();
  // Recording stays open after a close; such an opinion is marked 期間外.
  const outsidePeriod = summaries
    .filter((r) => !isAcceptingOpinions(r, now))
    .map((r) => ({ title: r.title, state: PERIOD_STATE_LABELS[periodState(r, now)] }));
  return {
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
      return data<ActionResult>({ errors: { attachments: error.message }, values: form.values }, { status: 415 });
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
        { errors: { target: '対象の項目が見つかりません。一覧から選び直してください。' }, values: form.values },
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
        {errors[f]}
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
  const required = <span className="required">必須</span>;
  const check = (f: 'replyWanted' | 'publicOk', label: string) => (
    <div className="field field--check">
      <input id={f} type="checkbox" name={f} defaultChecked={v(f) === 'on'} {...aria(f)} /> <label htmlFor={f}>{label}</label>
      {err(f)}
    </div>
  );

  return (
    <div className="record-opinion">
      <h1>電話・郵便・来庁の意見を記録</h1>
      <p>
        電話・郵便・来庁で受けた意見を記録します。受付番号が付き、ウェブからの意見と同じ受付一覧で扱われます。記録後に、郵送用の受付票を印刷できます。
      </p>
      {Object.keys(errors).length > 0 ? (
        <div className="alert" role="alert" ref={summaryRef} tabIndex={-1}>
          入力内容に確認が必要な項目があります。各項目のメッセージをご確認ください。
        </div>
      ) : null}
      {outsidePeriod.length > 0 ? (
        <div className="notice">
          <p>次の通報は、いまウェブでの意見募集期間外です。受付日時が期間外の意見も記録できますが、「期間外」として記録されます。</p>
          <ul>
            {outsidePeriod.map((r) => (
              <li key={r.title}>
                {r.title}({r.state})
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" noValidate encType="multipart/form-data">
        <input type="hidden" name="formToken" value={v('formToken')} />
        <fieldset className="field" aria-describedby={errors.channel ? 'channel-error' : undefined}>
          <legend>受付方法{required}</legend>
          {STAFF_CHANNELS.map((c) => (
            <span key={c} className="radio">
              <input type="radio" id={`channel-${c}`} name="channel" value={c} defaultChecked={v('channel') === c} />{' '}
              <label htmlFor={`channel-${c}`}>{CHANNEL_LABELS[c]}</label>{' '}
            </span>
          ))}
          {err('channel')}
        </fieldset>
        {field(
          'receivedAt',
          <>受付日時(北京時間){required}</>,
          <input id="receivedAt" type="datetime-local" name="receivedAt" defaultValue={v('receivedAt')} required {...aria('receivedAt')} />,
        )}
        {field(
          'target',
          <>対象の項目{required}</>,
          <select id="target" name="target" defaultValue={v('target')} required {...aria('target')}>
            <option value="">選んでください</option>
            {reports.map((r) => (
              <optgroup key={r.id} label={reports.length > 1 ? r.title : '通報'}>
                <option value={`${r.id}:0:`}>{formatTarget({ sectionNumber: 0 })}</option>
                {r.sections.map((s) => [
                  <option key={`${s.number}`} value={`${r.id}:${s.number}:`}>
                    {formatTarget({ sectionNumber: s.number, sectionTitle: s.title })}(項目全体)
                  </option>,
                  ...s.items.map((i) => (
                    <option key={`${s.number}-${i.number}`} value={`${r.id}:${s.number}:${i.number}`}>
                      {formatTarget({ sectionNumber: s.number, itemNumber: i.number, itemHeading: i.heading })}
                    </option>
                  )),
                ])}
              </optgroup>
            ))}
          </select>,
        )}
        {field(
          'body',
          <>意見の内容{required}</>,
          <textarea id="body" name="body" defaultValue={v('body')} required maxLength={OPINION_LIMITS.bodyMax} {...aria('body', 'body-hint')} />,
          <>
            聞き取った内容、または届いた文面を入力してください({OPINION_LIMITS.bodyMin}〜{OPINION_LIMITS.bodyMax.toLocaleString('ja-JP')}文字)。
          </>,
        )}
        <fieldset className="field">
          <legend>ご本人の氏名と連絡先(伝えられたとおりに)</legend>
          {field(
            'name',
            '氏名',
            <input id="name" type="text" name="name" defaultValue={v('name')} maxLength={OPINION_LIMITS.nameMax} autoComplete="off" {...aria('name')} />,
          )}
          {field(
            'phone',
            '電話番号',
            <input id="phone" type="tel" name="phone" defaultValue={v('phone')} maxLength={OPINION_LIMITS.phoneMax} autoComplete="off" {...aria('phone')} />,
          )}
          {field(
            'email',
            'メールアドレス',
            <input id="email" type="email" name="email" defaultValue={v('email')} maxLength={OPINION_LIMITS.emailMax} autoComplete="off" {...aria('email')} />,
          )}
          {field(
            'address',
            '住所(郵送で回答する場合)',
            <input id="address" type="text" name="address" defaultValue={v('address')} maxLength={ADDRESS_MAX} autoComplete="off" {...aria('address', 'address-hint')} />,
            '受付票の宛先として印刷されます。職員画面にだけ表示され、公開されません。',
          )}
        </fieldset>
        {check('replyWanted', '回答を希望している')}
        {check('publicOk', '意見の公開に同意している')}
        <p className="hint">個人情報の取扱いについてはご本人に説明し、同意を得たうえで記録してください。</p>
        <AttachmentPicker limits={attachmentLimits} label="スキャンした書類・写真を添付(任意)" error={result?.errors.attachments} />
        <button type="submit" disabled={busy}>
          記録して受付票を作成する
        </button>
      </Form>
    </div>
  );
}
