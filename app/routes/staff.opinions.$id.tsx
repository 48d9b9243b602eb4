import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { OPINION_STATUSES } from '../../db/schema';
import { DueDate, StatusBadge } from '~/components/staff-text';
import { addNote, assignOpinion, changeOpinionStatus, setDueDate } from '~/models/opinion-admin.server';
import { getOpinionForStaff } from '~/models/opinion-detail.server';
import { listUnits } from '~/models/units.server';
import { listActiveUsers } from '~/models/users.server';
import { NOTE_MAX, opinionActionSchema, type OpinionIntent } from '~/schemas/staff-opinion';
import { getDb } from '~/server/db.server';
import { readFormBody } from '~/utils/form.server';
import { itemLabel, sectionLabel } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';
import { CHANNEL_LABELS, STATUS_LABELS } from '~/domain/labels';
import { requireUser } from '~/server/session.server';
import { UserError } from '~/utils/user-error.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `意見 ${data.opinion.trackingNumber} | 職員画面 | 意見箱` : 'ページが見つかりません | 意見箱' },
  { name: 'robots', content: 'noindex' },
];


function opinionId(raw: string | undefined): number {
  if (!raw || !/^\d{1,9}$/.test(raw)) throw new Response('この意見は見つかりません。受付一覧から選び直してください。', { status: 404 });
  return Number(raw);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = opinionId(params.id);
  const db = getDb();
  const [opinion, units, users] = await Promise.all([getOpinionForStaff(db, id), listUnits(db), listActiveUsers(db)]);
  if (!opinion) throw new Response('この意見は見つかりません。受付一覧から選び直してください。', { status: 404 });
  return {
    opinion,
    units: units.map((u) => ({ id: u.id, name: u.name, email: u.email })),
    users: users.map((u) => ({ id: u.id, name: u.display_name })),
    // Official replies are written by moderators and admins (their own page).
    canReply: user.role === 'moderator' || user.role === 'admin',
  };
}

type ActionResult = { intent: OpinionIntent | null; ok: boolean; message: string };

const DONE: Record<OpinionIntent, string> = {
  status: '状態を変更しました。',
  assign: '担当を変更しました。',
  due: '回答期限を変更しました。',
  note: 'メモを追加しました。',
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = opinionId(params.id);
  const form = await readFormBody(request);
  const parsed = opinionActionSchema.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')));
  if (!parsed.success) {
    const intent = form.get('intent');
    const known = (['status', 'assign', 'due', 'note'] as const).find((i) => i === intent) ?? null;
    const message = known ? (parsed.error.issues[0]?.message ?? '入力内容をご確認ください。') : '操作の種類が正しくありません。ページを読み込み直してください。';
    return data<ActionResult>({ intent: known, ok: false, message }, { status: 400 });
  }
  const input = parsed.data;
  const db = getDb();
  try {
    let changed: boolean;
    switch (input.intent) {
      case 'status':
        changed = await changeOpinionStatus(db, user, id, input.status, { duplicateOfTrackingNumber: input.duplicateOf });
        break;
      case 'assign':
        changed = await assignOpinion(db, user, id, { unitId: input.unitId, assigneeId: input.assigneeId });
        break;
      case 'due':
        changed = await setDueDate(db, user, id, input.dueDate);
        break;
      case 'note':
        await addNote(db, user, id, input.body);
        changed = true;
        break;
    }
    return data<ActionResult>({ intent: input.intent, ok: true, message: changed ? DONE[input.intent] : '変更はありませんでした。' });
  } catch (error) {
    if (error instanceof UserError) {
      if (error.status === 404) throw new Response(error.message, { status: 404 });
      return data<ActionResult>({ intent: input.intent, ok: false, message: error.message }, { status: error.status });
    }
    throw error;
  }
}

// --- History display ---------------------------------------------------------

const ACTION_LABELS: Record<string, string> = {
  'opinion.status': '状態の変更',
  'opinion.assign': '担当の変更',
  'opinion.due': '回答期限の変更',
  'opinion.note': 'メモの追加',
  'opinion.record': '電話・郵便・来庁の記録',
};

const FIELD_LABELS: Record<string, string> = {
  status: '状態',
  duplicateOf: '重複先',
  unit: '担当部署',
  assignee: '担当者',
  dueAt: '回答期限',
  body: '内容',
  channel: '受付経路',
  receivedAt: '受付日時',
  trackingNumber: '受付番号',
};

function describeValue(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(なし)';
  if (key === 'status' && typeof value === 'string' && value in STATUS_LABELS) return STATUS_LABELS[value as keyof typeof STATUS_LABELS];
  if (key === 'channel' && typeof value === 'string' && value in CHANNEL_LABELS) return CHANNEL_LABELS[value as keyof typeof CHANNEL_LABELS];
  if ((key === 'dueAt' || key === 'receivedAt' || key.endsWith('At')) && typeof value === 'string') return formatDateTime(value);
  if (typeof value === 'boolean') return value ? 'はい' : 'いいえ';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function describeJson(json: string | null): string[] {
  if (!json) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [json];
  }
  if (value === null || typeof value !== 'object') return value === null ? [] : [String(value)];
  return Object.entries(value as Record<string, unknown>)
    .filter(([k]) => k !== 'noteId')
    .map(([k, v]) => `${FIELD_LABELS[k] ?? k}:${describeValue(k, v)}`);
}

const MESSAGE_KINDS: Record<string, string> = {
  office_notification: '事務局への通知',
  citizen_ack: '受付確認(ご本人宛)',
  unit_notification: '担当部署への通知',
};

const DELIVERY: Record<string, string> = { pending: '送信待ち', sent: '送信済み', failed: '送信失敗' };

// --- Page -------------------------------------------------------------------

function ActionMessage({ result, intent }: { result: ActionResult | undefined; intent: OpinionIntent }) {
  const ref = useRef<HTMLParagraphElement>(null);
  const mine = result && result.intent === intent;
  useEffect(() => {
    if (mine) ref.current?.focus();
  }, [mine, result]);
  if (!mine) return null;
  return (
    <p ref={ref} tabIndex={-1} id={`${intent}-message`} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
      {result.message}
    </p>
  );
}

export default function StaffOpinionRoute() {
  const { opinion: o, units, users, canReply } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const anchor = o.sectionNumber === 0 ? 'section-0' : o.itemNumber !== null ? `section-${o.sectionNumber}-${o.itemNumber}` : `section-${o.sectionNumber}`;
  const targetLabel =
    o.sectionNumber === 0
      ? '通報全体'
      : `${sectionLabel(o.sectionNumber)} ${o.sectionTitle ?? ''}${o.itemNumber !== null ? ` ／ ${itemLabel(o.itemNumber)}${o.itemHeading ?? ''}` : ''}`;
  const errorFor = (intent: OpinionIntent) => (result && !result.ok && result.intent === intent ? `${intent}-message` : undefined);
  const dueDateValue = new Date(Date.parse(o.dueAt) + 8 * 3600_000).toISOString().slice(0, 10);

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

      <dl className="facts">
        <div>
          <dt>通報</dt>
          <dd>{o.report.title}</dd>
        </div>
        <div>
          <dt>対象</dt>
          <dd>
            <a href={`/reports/${o.report.slug}#${anchor}`}>{targetLabel}</a>
          </dd>
        </div>
        <div>
          <dt>受付日時</dt>
          <dd>
            <time dateTime={o.receivedAt}>{formatDateTime(o.receivedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>受付経路</dt>
          <dd>
            {CHANNEL_LABELS[o.channel]}
            {o.recordedBy ? `(記録:${o.recordedBy.displayName})` : ''}
          </dd>
        </div>
        <div>
          <dt>担当部署</dt>
          <dd>{o.unit ? `${o.unit.name}${o.unit.retired ? '(廃止)' : ''}` : '未定'}</dd>
        </div>
        <div>
          <dt>担当者</dt>
          <dd>{o.assignee ? `${o.assignee.displayName}${o.assignee.active ? '' : '(無効)'}` : '未定'}</dd>
        </div>
        {o.duplicateOf ? (
          <div>
            <dt>重複先</dt>
            <dd>
              <Link to={`/staff/opinions/${o.duplicateOf.id}`}>{o.duplicateOf.trackingNumber}</Link>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>公式回答</dt>
          <dd>
            {o.reply
              ? o.reply.status === 'published'
                ? `公開済み(${o.reply.publishedAt ? formatDateTime(o.reply.publishedAt) : ''})`
                : o.reply.status === 'draft'
                  ? '下書き'
                  : '非公開'
              : 'なし'}
            {canReply ? (
              <>
                {' '}
                <Link to={`/staff/opinions/${o.id}/reply`}>公式回答を作成・編集する</Link>
              </>
            ) : null}
          </dd>
        </div>
      </dl>

      <section aria-labelledby="body-title">
        <h2 id="body-title">意見の内容</h2>
        <blockquote className="user-text opinion-body">{o.body}</blockquote>
      </section>

      <section aria-labelledby="contact-title">
        <h2 id="contact-title">連絡先と同意</h2>
        <dl className="facts">
          <div>
            <dt>氏名</dt>
            <dd>{o.name ?? '(記入なし)'}</dd>
          </div>
          <div>
            <dt>メール</dt>
            <dd>{o.email ? <a href={`mailto:${o.email}`}>{o.email}</a> : '(記入なし)'}</dd>
          </div>
          <div>
            <dt>電話</dt>
            <dd>{o.phone ?? '(記入なし)'}</dd>
          </div>
          <div>
            <dt>回答の希望</dt>
            <dd>{o.replyWanted ? 'あり' : 'なし'}</dd>
          </div>
          <div>
            <dt>意見の公開</dt>
            <dd>{o.publicOk ? '公開してよい' : '公開しない'}</dd>
          </div>
          <div>
            <dt>個人情報の取扱いへの同意</dt>
            <dd>{o.consent ? '同意あり' : '同意なし'}</dd>
          </div>
        </dl>
        <p>
          <Link to={`/staff/opinions/${o.id}/ack`}>受付票(郵送用)を表示・印刷する</Link>
        </p>
      </section>

      <section aria-labelledby="actions-title" className="opinion-actions">
        <h2 id="actions-title">対応</h2>

        <Form method="post" className="action-form" aria-labelledby="status-title">
          <h3 id="status-title">状態</h3>
          <input type="hidden" name="intent" value="status" />
          <ActionMessage result={result} intent="status" />
          <div className="field">
            <label htmlFor="status">新しい状態</label>
            <select id="status" name="status" defaultValue={o.status} aria-describedby={errorFor('status')}>
              {OPINION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="duplicateOf">重複先の受付番号(「重複」にする場合)</label>
            <input
              id="duplicateOf"
              type="text"
              name="duplicateOf"
              defaultValue={o.duplicateOf?.trackingNumber ?? ''}
              autoComplete="off"
              aria-invalid={errorFor('status') ? true : undefined}
              aria-describedby={errorFor('status')}
            />
          </div>
          <button type="submit" disabled={busy}>
            状態を変更する
          </button>
        </Form>

        <Form method="post" className="action-form" aria-labelledby="assign-title">
          <h3 id="assign-title">担当</h3>
          <input type="hidden" name="intent" value="assign" />
          <ActionMessage result={result} intent="assign" />
          <div className="field">
            <label htmlFor="unitId">担当部署</label>
            <select id="unitId" name="unitId" defaultValue={o.unit?.id ?? ''} aria-describedby={errorFor('assign')}>
              <option value="">未定</option>
              {o.unit?.retired ? <option value={o.unit.id}>{o.unit.name}(廃止)</option> : null}
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                  {u.email ? '(メール通知あり)' : ''}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="assigneeId">担当者</label>
            <select id="assigneeId" name="assigneeId" defaultValue={o.assignee?.id ?? ''} aria-describedby={errorFor('assign')}>
              <option value="">未定</option>
              {o.assignee && !o.assignee.active ? <option value={o.assignee.id}>{o.assignee.displayName}(無効)</option> : null}
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={busy}>
            担当を変更する
          </button>
        </Form>

        <Form method="post" className="action-form" aria-labelledby="due-title">
          <h3 id="due-title">回答期限</h3>
          <input type="hidden" name="intent" value="due" />
          <ActionMessage result={result} intent="due" />
          <div className="field">
            <label htmlFor="dueDate">回答期限の日付(その日の終わりまで)</label>
            <input
              id="dueDate"
              type="date"
              name="dueDate"
              defaultValue={dueDateValue}
              required
              aria-invalid={errorFor('due') ? true : undefined}
              aria-describedby={errorFor('due')}
            />
          </div>
          <button type="submit" disabled={busy}>
            期限を変更する
          </button>
        </Form>
      </section>

      <section aria-labelledby="notes-title">
        <h2 id="notes-title">内部メモ(公開されません)</h2>
        {o.notes.length === 0 ? (
          <p>メモはまだありません。</p>
        ) : (
          <ul className="notes">
            {o.notes.map((n) => (
              <li key={n.id}>
                <p className="notes__meta">
                  {n.authorName} ・ <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
                </p>
                <p className="user-text">{n.body}</p>
              </li>
            ))}
          </ul>
        )}
        <Form method="post" className="action-form" aria-labelledby="note-form-title">
          <h3 id="note-form-title">メモを追加</h3>
          <input type="hidden" name="intent" value="note" />
          <ActionMessage result={result} intent="note" />
          <div className="field">
            <label htmlFor="note-body">メモ({NOTE_MAX.toLocaleString('ja-JP')}文字まで)</label>
            <textarea
              id="note-body"
              name="body"
              maxLength={NOTE_MAX}
              required
              aria-invalid={errorFor('note') ? true : undefined}
              aria-describedby={errorFor('note')}
            />
          </div>
          <button type="submit" disabled={busy}>
            メモを追加する
          </button>
        </Form>
      </section>

      <section aria-labelledby="messages-title">
        <h2 id="messages-title">この意見について送ったメール</h2>
        {o.messages.length === 0 ? (
          <p>送ったメールはありません。</p>
        ) : (
          <div className="table-scroll" role="region" aria-label="送ったメールの一覧" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">種類</th>
                  <th scope="col">宛先</th>
                  <th scope="col">件名</th>
                  <th scope="col">配信状況</th>
                  <th scope="col">試行回数</th>
                  <th scope="col">作成・送信日時</th>
                </tr>
              </thead>
              <tbody>
                {o.messages.map((m) => (
                  <tr key={m.id}>
                    <td>{MESSAGE_KINDS[m.kind] ?? m.kind}</td>
                    <td>{m.recipient}</td>
                    <td>{m.subject}</td>
                    <td>
                      {DELIVERY[m.status] ?? m.status}
                      {m.lastError ? <span className="delivery-error">(最後のエラー:{m.lastError})</span> : null}
                    </td>
                    <td>{m.attempts}</td>
                    <td>
                      <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
                      {m.sentAt ? (
                        <>
                          <br />
                          送信:<time dateTime={m.sentAt}>{formatDateTime(m.sentAt)}</time>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">履歴</h2>
        <p className="hint">
          受付:<time dateTime={o.createdAt}>{formatDateTime(o.createdAt)}</time>
        </p>
        {o.history.length === 0 ? (
          <p>この意見への操作はまだありません。</p>
        ) : (
          <div className="table-scroll" role="region" aria-label="履歴の一覧" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">日時</th>
                  <th scope="col">操作した人</th>
                  <th scope="col">操作</th>
                  <th scope="col">変更前</th>
                  <th scope="col">変更後</th>
                </tr>
              </thead>
              <tbody>
                {o.history.map((h) => (
                  <tr key={h.id}>
                    <td>
                      <time dateTime={h.created_at}>{formatDateTime(h.created_at)}</time>
                    </td>
                    <td>{h.actor_label}</td>
                    <td>{ACTION_LABELS[h.action] ?? h.action}</td>
                    <td className="user-text">{describeJson(h.before_json).join('\n')}</td>
                    <td className="user-text">{describeJson(h.after_json).join('\n')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
