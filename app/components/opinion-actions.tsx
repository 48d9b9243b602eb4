// The forms on an opinion's staff page: status, assignment, deadline, note.
// One action answers them all (field `intent`); each form shows its own
// result, and a refused form keeps what was typed.
import { Form } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { OPINION_STATUSES } from '../../db/schema';
import type { StaffOpinionView } from '~/models/opinion-detail.server';
import { STATUS_LABELS } from '~/domain/labels';
import { NOTE_MAX, type OpinionActionResult, type OpinionIntent } from '~/schemas/staff-opinion';
import { toLocalDay } from '~/utils/local-time';
import { useIsPending } from '~/utils/use-is-pending';

type Result = OpinionActionResult | undefined;

function mine(result: Result, intent: OpinionIntent): result is OpinionActionResult {
  return result !== undefined && result.intent === intent;
}

/** The message of the form that was sent; focus moves to it. */
function ActionMessage({ result, intent }: { result: Result; intent: OpinionIntent }) {
  const ref = useRef<HTMLParagraphElement>(null);
  const shown = mine(result, intent);
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown, result]);
  if (!shown) return null;
  return (
    <p ref={ref} tabIndex={-1} id={`${intent}-message`} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
      {result.message}
    </p>
  );
}

/** aria attributes for a field of a refused form: invalid, described by the form's message. */
function invalid(result: Result, intent: OpinionIntent, field?: string) {
  if (!mine(result, intent) || result.ok) return {};
  const flagged = field === undefined || !result.errors || Object.keys(result.errors).length === 0 || field in result.errors;
  return flagged ? { 'aria-invalid': true as const, 'aria-describedby': `${intent}-message` } : { 'aria-describedby': `${intent}-message` };
}

/** What was typed into a refused form, else the stored value. */
function typed(result: Result, intent: OpinionIntent, field: string, stored: string): string {
  return mine(result, intent) && !result.ok && result.values?.[field] !== undefined ? result.values[field] : stored;
}

function SubmitButton({ intent, children }: { intent: OpinionIntent; children: string }) {
  const pending = useIsPending({ intent });
  return (
    <button type="submit" disabled={pending}>
      {children}
    </button>
  );
}

type Opinion = Pick<StaffOpinionView, 'status' | 'duplicateOf' | 'unit' | 'assignee' | 'dueAt'>;
type Choice = { id: number; name: string; email?: string | null };

export function OpinionActionForms({ opinion: o, units, users, result }: { opinion: Opinion; units: Choice[]; users: Choice[]; result: Result }) {
  return (
    <section aria-labelledby="actions-title" className="opinion-actions">
      <h2 id="actions-title">対応</h2>

      <Form method="post" className="action-form" aria-labelledby="status-title">
        <h3 id="status-title">状態</h3>
        <input type="hidden" name="intent" value="status" />
        <ActionMessage result={result} intent="status" />
        <div className="field">
          <label htmlFor="status">新しい状態</label>
          <select id="status" name="status" defaultValue={o.status} {...invalid(result, 'status', 'status')}>
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
            defaultValue={typed(result, 'status', 'duplicateOf', o.duplicateOf?.trackingNumber ?? '')}
            autoComplete="off"
            {...invalid(result, 'status', 'duplicateOf')}
          />
        </div>
        <SubmitButton intent="status">状態を変更する</SubmitButton>
      </Form>

      <Form method="post" className="action-form" aria-labelledby="assign-title">
        <h3 id="assign-title">担当</h3>
        <input type="hidden" name="intent" value="assign" />
        <ActionMessage result={result} intent="assign" />
        <div className="field">
          <label htmlFor="unitId">担当部署</label>
          <select id="unitId" name="unitId" defaultValue={o.unit?.id ?? ''} {...invalid(result, 'assign', 'unitId')}>
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
          <select id="assigneeId" name="assigneeId" defaultValue={o.assignee?.id ?? ''} {...invalid(result, 'assign', 'assigneeId')}>
            <option value="">未定</option>
            {o.assignee && !o.assignee.active ? <option value={o.assignee.id}>{o.assignee.displayName}(無効)</option> : null}
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <SubmitButton intent="assign">担当を変更する</SubmitButton>
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
            defaultValue={typed(result, 'due', 'dueDate', toLocalDay(o.dueAt))}
            required
            {...invalid(result, 'due', 'dueDate')}
          />
        </div>
        <SubmitButton intent="due">期限を変更する</SubmitButton>
      </Form>
    </section>
  );
}

export function NoteForm({ result }: { result: Result }) {
  return (
    <Form method="post" className="action-form" aria-labelledby="note-form-title">
      <h3 id="note-form-title">メモを追加</h3>
      <input type="hidden" name="intent" value="note" />
      <ActionMessage result={result} intent="note" />
      <div className="field">
        <label htmlFor="note-body">メモ({NOTE_MAX.toLocaleString('ja-JP')}文字まで)</label>
        <textarea id="note-body" name="body" maxLength={NOTE_MAX} required defaultValue={typed(result, 'note', 'body', '')} {...invalid(result, 'note', 'body')} />
      </div>
      <SubmitButton intent="note">メモを追加する</SubmitButton>
    </Form>
  );
}
