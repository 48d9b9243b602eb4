// Staff record an opinion that arrived by phone, post or visit. It gets a
// tracking number like any other and joins the same inbox; the next page is a
// printable acknowledgement to send back.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { recordAudit } from '~/models/audit.server';
import { addNote } from '~/models/opinion-admin.server';
import { createOpinion, OpinionTargetError } from '~/models/opinions.server';
import { listReportOutlines } from '~/models/report-outlines.server';
import { OPINION_LIMITS, opinionSchema } from '~/schemas/opinion';
import { ADDRESS_MAX, shanghaiLocalNow, STAFF_CHANNELS, staffRecordSchema, type StaffRecordField } from '~/schemas/staff-opinion';
import { getDb } from '~/server/db.server';
import { readFormBody } from '~/utils/form.server';
import { itemLabel, sectionLabel } from '~/utils/format';
import { CHANNEL_LABELS } from '~/domain/labels';
import { requireUser } from '~/server/session.server';
import { createFormToken } from '~/domain/tracking-number.server';

export const meta: MetaFunction = () => [{ title: '電話・郵便・来庁の意見を記録 | 職員画面 | 意見箱' }, { name: 'robots', content: 'noindex' }];


export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const reports = await listReportOutlines(getDb());
  return {
    reports: reports.map((r) => ({
      id: r.id,
      title: r.title,
      sections: r.sections.map((s) => ({ number: s.number, title: s.title, items: s.items.map((i) => ({ number: i.number, heading: i.heading })) })),
    })),
    now: shanghaiLocalNow(),
    formToken: createFormToken(),
  };
}

type Values = Record<'channel' | 'receivedAt' | 'target' | 'address' | 'body' | 'name' | 'email' | 'phone' | 'formToken', string> & {
  replyWanted: boolean;
  publicOk: boolean;
};
type ActionResult = { errors: Partial<Record<StaffRecordField, string>>; values: Values };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readFormBody(request);
  const s = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : '';
  };
  const values: Values = {
    channel: s('channel'),
    receivedAt: s('receivedAt'),
    target: s('target'),
    address: s('address'),
    body: s('body'),
    name: s('name'),
    email: s('email'),
    phone: s('phone'),
    formToken: s('formToken'),
    replyWanted: s('replyWanted') === 'on',
    publicOk: s('publicOk') === 'on',
  };
  const errors: ActionResult['errors'] = {};
  const extra = staffRecordSchema().safeParse(values);
  if (!extra.success) {
    for (const issue of extra.error.issues) {
      const field = issue.path[0] as StaffRecordField;
      errors[field] ??= issue.message;
    }
  }
  const target = extra.success ? extra.data.target : null;
  // The text, name and contact follow the public form's rules; staff record
  // consent on the person's behalf (they were told how it is handled).
  const base = opinionSchema.safeParse({
    section: target ? String(target.section) : '0',
    item: target?.item === null || !target ? '' : String(target.item),
    body: values.body,
    name: values.name,
    email: values.email,
    phone: values.phone,
    replyWanted: values.replyWanted,
    publicOk: values.publicOk,
    consent: true,
    formToken: values.formToken,
  });
  if (!base.success) {
    for (const issue of base.error.issues) {
      const key = issue.path[0];
      const field: StaffRecordField | null =
        key === 'section' || key === 'item' ? 'target' : (['body', 'name', 'email', 'phone', 'replyWanted', 'publicOk'] as const).find((f) => f === key) ?? null;
      if (field) errors[field] ??= issue.message;
    }
  }
  if (!extra.success || !base.success || Object.keys(errors).length > 0) {
    return data<ActionResult>({ errors, values }, { status: 400 });
  }

  const db = getDb();
  let created;
  try {
    created = await createOpinion(db, {
      reportId: extra.data.target.reportId,
      sectionNumber: base.data.section,
      itemNumber: base.data.item,
      body: base.data.body,
      name: base.data.name,
      email: base.data.email,
      phone: base.data.phone,
      replyWanted: base.data.replyWanted,
      publicOk: base.data.publicOk,
      consent: true,
      channel: extra.data.channel,
      receivedAt: extra.data.receivedAt,
      clientHash: null,
      userAgent: null,
      formToken: base.data.formToken,
      recordedById: user.id,
    });
  } catch (error) {
    if (error instanceof OpinionTargetError) {
      return data<ActionResult>({ errors: { target: '対象の項目が見つかりません。一覧から選び直してください。' }, values }, { status: 400 });
    }
    throw error;
  }
  if (!created.duplicate) {
    await recordAudit(db, {
      actor: user,
      action: 'opinion.record',
      entityType: 'opinion',
      entityId: created.id,
      after: { trackingNumber: created.trackingNumber, channel: extra.data.channel, receivedAt: extra.data.receivedAt.toISOString() },
    });
    // There is no address column: a postal address for the answer is kept as an internal note.
    if (extra.data.address) await addNote(db, user, created.id, `郵送先の住所:${extra.data.address}`);
  }
  return redirect(`/staff/opinions/${created.id}/ack`);
}

const EMPTY: Values = {
  channel: 'phone',
  receivedAt: '',
  target: '',
  address: '',
  body: '',
  name: '',
  email: '',
  phone: '',
  formToken: '',
  replyWanted: false,
  publicOk: false,
};

const ORDER: StaffRecordField[] = ['channel', 'receivedAt', 'target', 'body', 'name', 'phone', 'email', 'address', 'replyWanted', 'publicOk'];
const FIELD_IDS: Record<StaffRecordField, string> = {
  channel: 'channel-phone',
  receivedAt: 'receivedAt',
  target: 'target',
  body: 'body',
  name: 'name',
  phone: 'phone',
  email: 'email',
  address: 'address',
  replyWanted: 'replyWanted',
  publicOk: 'publicOk',
};

export default function RecordOpinionRoute() {
  const { reports, now, formToken } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state === 'submitting';
  const v = result?.values ?? { ...EMPTY, receivedAt: now, formToken };
  const errors = result?.errors ?? {};
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!result) return;
    const first = ORDER.find((f) => errors[f]);
    if (first) document.getElementById(FIELD_IDS[first])?.focus();
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
      <Form method="post" noValidate>
        <input type="hidden" name="formToken" value={v.formToken} />
        <fieldset className="field" aria-describedby={errors.channel ? 'channel-error' : undefined}>
          <legend>
            受付方法<span className="required">必須</span>
          </legend>
          {STAFF_CHANNELS.map((c) => (
            <span key={c} className="radio">
              <input type="radio" id={`channel-${c}`} name="channel" value={c} defaultChecked={v.channel === c} />{' '}
              <label htmlFor={`channel-${c}`}>{CHANNEL_LABELS[c]}</label>{' '}
            </span>
          ))}
          {err('channel')}
        </fieldset>
        <div className="field">
          <label htmlFor="receivedAt">
            受付日時(北京時間)<span className="required">必須</span>
          </label>
          <input id="receivedAt" type="datetime-local" name="receivedAt" defaultValue={v.receivedAt} required {...aria('receivedAt')} />
          {err('receivedAt')}
        </div>
        <div className="field">
          <label htmlFor="target">
            対象の項目<span className="required">必須</span>
          </label>
          <select id="target" name="target" defaultValue={v.target} required {...aria('target')}>
            <option value="">選んでください</option>
            {reports.map((r) => (
              <optgroup key={r.id} label={reports.length > 1 ? r.title : '通報'}>
                <option value={`${r.id}:0:`}>通報全体</option>
                {r.sections.map((s) => [
                  <option key={`${s.number}`} value={`${r.id}:${s.number}:`}>
                    {sectionLabel(s.number)} {s.title}(項目全体)
                  </option>,
                  ...s.items.map((i) => (
                    <option key={`${s.number}-${i.number}`} value={`${r.id}:${s.number}:${i.number}`}>
                      {sectionLabel(s.number)}
                      {itemLabel(i.number)} {i.heading}
                    </option>
                  )),
                ])}
              </optgroup>
            ))}
          </select>
          {err('target')}
        </div>
        <div className="field">
          <label htmlFor="body">
            意見の内容<span className="required">必須</span>
          </label>
          <p className="hint" id="body-hint">
            聞き取った内容、または届いた文面を入力してください({OPINION_LIMITS.bodyMin}〜{OPINION_LIMITS.bodyMax.toLocaleString('ja-JP')}文字)。
          </p>
          <textarea id="body" name="body" defaultValue={v.body} required maxLength={OPINION_LIMITS.bodyMax} {...aria('body', 'body-hint')} />
          {err('body')}
        </div>
        <fieldset className="field">
          <legend>ご本人の氏名と連絡先(伝えられたとおりに)</legend>
          <div className="field">
            <label htmlFor="name">氏名</label>
            <input id="name" type="text" name="name" defaultValue={v.name} maxLength={OPINION_LIMITS.nameMax} autoComplete="off" {...aria('name')} />
            {err('name')}
          </div>
          <div className="field">
            <label htmlFor="phone">電話番号</label>
            <input id="phone" type="tel" name="phone" defaultValue={v.phone} maxLength={OPINION_LIMITS.phoneMax} autoComplete="off" {...aria('phone')} />
            {err('phone')}
          </div>
          <div className="field">
            <label htmlFor="email">メールアドレス</label>
            <input id="email" type="email" name="email" defaultValue={v.email} maxLength={OPINION_LIMITS.emailMax} autoComplete="off" {...aria('email')} />
            {err('email')}
          </div>
          <div className="field">
            <label htmlFor="address">住所(郵送で回答する場合)</label>
            <p className="hint" id="address-hint">
              内部メモとして保存され、公開されません。
            </p>
            <input id="address" type="text" name="address" defaultValue={v.address} maxLength={ADDRESS_MAX} autoComplete="off" {...aria('address', 'address-hint')} />
            {err('address')}
          </div>
        </fieldset>
        <div className="field field--check">
          <input id="replyWanted" type="checkbox" name="replyWanted" defaultChecked={v.replyWanted} {...aria('replyWanted')} />{' '}
          <label htmlFor="replyWanted">回答を希望している</label>
          {err('replyWanted')}
        </div>
        <div className="field field--check">
          <input id="publicOk" type="checkbox" name="publicOk" defaultChecked={v.publicOk} {...aria('publicOk')} />{' '}
          <label htmlFor="publicOk">意見の公開に同意している</label>
          {err('publicOk')}
        </div>
        <p className="hint">個人情報の取扱いについてはご本人に説明し、同意を得たうえで記録してください。</p>
        <button type="submit" disabled={busy}>
          記録して受付票を作成する
        </button>
      </Form>
    </div>
  );
}
