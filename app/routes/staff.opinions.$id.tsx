import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { NoteForm, OpinionActionForms } from '~/components/opinion-actions';
import { OpinionContact, OpinionFacts } from '~/components/opinion-facts';
import { OpinionHistory, OpinionMessages, OpinionNotes } from '~/components/opinion-records';
import { DueDate, StatusBadge } from '~/components/staff-text';
import { applyOpinionAction } from '~/models/opinion-admin.server';
import { getOpinionForStaff } from '~/models/opinion-detail.server';
import { listOpinionAttachments } from '~/models/attachments.server';
import { OpinionAttachments } from '~/components/opinion-attachments';
import { staffAttachmentLimits } from '~/server/attachment-upload.server';
import { listUnits } from '~/models/units.server';
import { listActiveUsers } from '~/models/users.server';
import { OPINION_INTENTS, opinionActionSchema, UNKNOWN_INTENT, type OpinionActionResult, type OpinionIntent } from '~/schemas/staff-opinion';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm, requireId } from '~/utils/form.server';
import { UserError } from '~/utils/user-error.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `意見 ${data.opinion.trackingNumber} | 職員画面 | 意見箱` : 'ページが見つかりません | 意見箱' },
  { name: 'robots', content: 'noindex' },
];

const NOT_FOUND = 'この意見は見つかりません。受付一覧から選び直してください。';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = requireId(params, 'id', NOT_FOUND);
  const db = getDb();
  const [opinion, units, users, attachments] = await Promise.all([getOpinionForStaff(db, id), listUnits(db), listActiveUsers(db), listOpinionAttachments(db, id)]);
  if (!opinion) throw new Response(NOT_FOUND, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return {
    opinion,
    units: units.map((u) => ({ id: u.id, name: u.name, email: u.email })),
    users: users.map((u) => ({ id: u.id, name: u.displayName })),
    // Official replies are written by moderators and admins (their own page).
    canReply: user.role === 'moderator' || user.role === 'admin',
    attachments,
    // At least one file for staff even when the web form takes none: a scanned letter.
    attachmentLimits: staffAttachmentLimits(),
  };
}

const DONE: Record<OpinionIntent, string> = {
  status: '状態を変更しました。',
  assign: '担当を変更しました。',
  due: '回答期限を変更しました。',
  note: 'メモを追加しました。',
  consent: '公開への同意の撤回を記録しました。意見の文面は、公開ページにもう表示されません(回答は公開されたままです)。',
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = requireId(params, 'id', NOT_FOUND);
  const form = await parseForm(request, opinionActionSchema);
  if (!form.success) {
    const intent = OPINION_INTENTS.find((i) => i === form.values.intent) ?? null;
    const message = intent ? (form.formError ?? '入力内容をご確認ください。') : UNKNOWN_INTENT;
    return data<OpinionActionResult>({ intent, ok: false, message, errors: form.errors, values: form.values }, { status: 400 });
  }
  const input = form.data;
  try {
    const changed = await applyOpinionAction(getDb(), user, id, input);
    return data<OpinionActionResult>({ intent: input.intent, ok: true, message: changed ? DONE[input.intent] : '変更はありませんでした。' });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    if (error.status === 404) throw new Response(NOT_FOUND, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    return data<OpinionActionResult>({ intent: input.intent, ok: false, message: error.message, values: form.values }, { status: error.status });
  }
}

export default function StaffOpinionRoute() {
  const { opinion: o, units, users, canReply, attachments, attachmentLimits: limits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as OpinionActionResult | undefined;
  return (
    <article className="staff-opinion" aria-labelledby="opinion-title">
      <p className="back-link">
        <Link to="/staff">← 受付一覧へ戻る</Link>
      </p>
      <h1 id="opinion-title">
        意見 <span className="tracking-number">{o.trackingNumber}</span>
      </h1>
      <p className="opinion-state">
        <StatusBadge status={o.status} /> 回答期限:<DueDate dueAt={o.dueAt} overdue={o.overdue} />
      </p>
      <OpinionFacts opinion={o} canReply={canReply} />

      <section aria-labelledby="body-title">
        <h2 id="body-title">意見の内容</h2>
        <blockquote className="user-text opinion-body">{o.body}</blockquote>
      </section>

      <OpinionAttachments opinionId={o.id} attachments={attachments} limits={limits} canPublish={canReply} />

      <OpinionContact opinion={o} />
      <OpinionActionForms opinion={o} units={units} users={users} result={result} />

      <section aria-labelledby="notes-title">
        <h2 id="notes-title">内部メモ(公開されません)</h2>
        <OpinionNotes notes={o.notes} />
        <NoteForm result={result} />
      </section>

      <OpinionMessages messages={o.messages} ackWithheld={o.ackWithheld} />
      <OpinionHistory createdAt={o.createdAt} history={o.history} />
    </article>
  );
}
