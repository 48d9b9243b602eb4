import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { NoteForm, OpinionActionForms } from '~/components/opinion-actions';
import { OpinionContact, OpinionFacts } from '~/components/opinion-facts';
import { OpinionHistory, OpinionMessages, OpinionNotes } from '~/components/opinion-records';
import { DueDate, StatusBadge } from '~/components/staff-text';
import { getRequestT } from '~/i18n/i18n.server';
import { staffFormat, staffMeta, useStaffFormat } from '~/i18n/staff-format';
import { applyOpinionAction } from '~/models/opinion-admin.server';
import { getOpinionForStaff } from '~/models/opinion-detail.server';
import { listOpinionAttachments } from '~/models/attachments.server';
import { OpinionAttachments } from '~/components/opinion-attachments';
import { staffAttachmentLimits } from '~/server/attachment-upload.server';
import { listUnits } from '~/models/units.server';
import { listActiveUsers } from '~/models/users.server';
import { OPINION_INTENTS, opinionActionSchema, STAFF_OPINION_MESSAGE_VALUES, UNKNOWN_INTENT, type OpinionActionResult, type OpinionIntent } from '~/schemas/staff-opinion';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm, requireId } from '~/utils/form.server';
import { UserError } from '~/utils/user-error.server';

export const handle = { i18n: ['attachments'] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => staffMeta(data?.title, matches);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await getRequestT(request, 'staff');
  const NOT_FOUND = t('errors.opinionNotFound');
  const id = requireId(params, 'id', NOT_FOUND);
  const db = getDb();
  const [opinion, units, users, attachments] = await Promise.all([getOpinionForStaff(db, id), listUnits(db), listActiveUsers(db), listOpinionAttachments(db, id)]);
  if (!opinion) throw new Response(NOT_FOUND, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return {
    title: `${t('opinion.title', { number: opinion.trackingNumber })} | ${t('meta.suffix')}`,
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

/** What each form answers when it changed something (keys of the staff catalog). */
const DONE: Record<OpinionIntent, string> = {
  status: 'actions.done.status',
  assign: 'actions.done.assign',
  due: 'actions.done.due',
  note: 'actions.done.note',
  consent: 'actions.done.consent',
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { t, lng } = await getRequestT(request, 'staff');
  // Messages travel translated (the page data carries them as text).
  const say = (key: string) => staffFormat(t, lng).message(key, STAFF_OPINION_MESSAGE_VALUES);
  const NOT_FOUND = t('errors.opinionNotFound');
  const id = requireId(params, 'id', NOT_FOUND);
  const form = await parseForm(request, opinionActionSchema);
  if (!form.success) {
    const intent = OPINION_INTENTS.find((i) => i === form.values.intent) ?? null;
    const message = say(intent ? (form.formError ?? 'opinionForm.errors.check') : UNKNOWN_INTENT);
    return data<OpinionActionResult>({ intent, ok: false, message, errors: form.errors, values: form.values }, { status: 400 });
  }
  const input = form.data;
  try {
    const changed = await applyOpinionAction(getDb(), user, id, input);
    return data<OpinionActionResult>({ intent: input.intent, ok: true, message: say(changed ? DONE[input.intent] : 'actions.unchanged') });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    if (error.status === 404) throw new Response(NOT_FOUND, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    return data<OpinionActionResult>({ intent: input.intent, ok: false, message: error.describe(t, STAFF_OPINION_MESSAGE_VALUES), values: form.values }, { status: error.status });
  }
}

export default function StaffOpinionRoute() {
  const { opinion: o, units, users, canReply, attachments, attachmentLimits: limits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as OpinionActionResult | undefined;
  const { t } = useStaffFormat();
  return (
    <article className="staff-opinion" aria-labelledby="opinion-title">
      <p className="back-link">
        <Link to="/staff">{t('opinion.back')}</Link>
      </p>
      <h1 id="opinion-title">
        {t('opinion.heading')} <span className="tracking-number">{o.trackingNumber}</span>
      </h1>
      <p className="opinion-state">
        <StatusBadge status={o.status} /> {t('opinion.due')}
        <DueDate dueAt={o.dueAt} overdue={o.overdue} />
      </p>
      <OpinionFacts opinion={o} canReply={canReply} />

      <section aria-labelledby="body-title">
        <h2 id="body-title">{t('opinion.body')}</h2>
        <blockquote className="user-text opinion-body">{o.body}</blockquote>
      </section>

      <OpinionAttachments opinionId={o.id} attachments={attachments} limits={limits} canPublish={canReply} />

      <OpinionContact opinion={o} />
      <OpinionActionForms opinion={o} units={units} users={users} result={result} />

      <section aria-labelledby="notes-title">
        <h2 id="notes-title">{t('opinion.notes')}</h2>
        <OpinionNotes notes={o.notes} />
        <NoteForm result={result} />
      </section>

      <OpinionMessages messages={o.messages} ackWithheld={o.ackWithheld} />
      <OpinionHistory createdAt={o.createdAt} history={o.history} />
    </article>
  );
}
