// The forms on an opinion's staff page: status, assignment, deadline, note.
// One action answers them all (field `intent`); each form shows its own
// result, and a refused form keeps what was typed.
import { Form } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { OPINION_STATUSES } from '../../db/schema';
import type { StaffOpinionView } from '~/models/opinion-detail.server';
import { useStaffFormat } from '~/i18n/staff-format';
import {
  CONSENT_NOTE_MAX,
  CONSENT_WITHDRAWAL_CHANNELS,
  NOTE_MAX,
  type OpinionActionResult,
  STAFF_OPINION_MESSAGE_VALUES,
  type OpinionIntent,
} from '~/schemas/staff-opinion';
import { toLocalDay } from '~/utils/local-time';
import { useIsPending } from '~/utils/use-is-pending';

type Result = OpinionActionResult | undefined;

function mine(result: Result, intent: OpinionIntent): result is OpinionActionResult {
  return result !== undefined && result.intent === intent;
}

/** The message of the form that was sent; focus moves to it. */
function ActionMessage({ result, intent }: { result: Result; intent: OpinionIntent }) {
  const ref = useRef<HTMLParagraphElement>(null);
  const { message } = useStaffFormat();
  const shown = mine(result, intent);
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown, result]);
  if (!shown) return null;
  return (
    <p ref={ref} tabIndex={-1} id={`${intent}-message`} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
      {message(result.message, STAFF_OPINION_MESSAGE_VALUES)}
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

type Opinion = Pick<StaffOpinionView, 'status' | 'duplicateOf' | 'unit' | 'assignee' | 'dueAt' | 'publicOk'>;
type Choice = { id: number; name: string; email?: string | null };

export function OpinionActionForms({ opinion: o, units, users, result }: { opinion: Opinion; units: Choice[]; users: Choice[]; result: Result }) {
  const f = useStaffFormat();
  const { t } = f;
  return (
    <section aria-labelledby="actions-title" className="opinion-actions">
      <h2 id="actions-title">{t('actions.title')}</h2>

      <Form method="post" className="action-form" aria-labelledby="status-title">
        <h3 id="status-title">{t('actions.status')}</h3>
        <input type="hidden" name="intent" value="status" />
        <ActionMessage result={result} intent="status" />
        <div className="field">
          <label htmlFor="status">{t('actions.newStatus')}</label>
          <select id="status" name="status" defaultValue={o.status} {...invalid(result, 'status', 'status')}>
            {OPINION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {f.status(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="duplicateOf">{t('actions.duplicateOf')}</label>
          <input
            id="duplicateOf"
            type="text"
            name="duplicateOf"
            defaultValue={typed(result, 'status', 'duplicateOf', o.duplicateOf?.trackingNumber ?? '')}
            autoComplete="off"
            {...invalid(result, 'status', 'duplicateOf')}
          />
        </div>
        <SubmitButton intent="status">{t('actions.statusSubmit')}</SubmitButton>
      </Form>

      <Form method="post" className="action-form" aria-labelledby="assign-title">
        <h3 id="assign-title">{t('actions.assign')}</h3>
        <input type="hidden" name="intent" value="assign" />
        <ActionMessage result={result} intent="assign" />
        <div className="field">
          <label htmlFor="unitId">{t('actions.unit')}</label>
          <select id="unitId" name="unitId" defaultValue={o.unit?.id ?? ''} {...invalid(result, 'assign', 'unitId')}>
            <option value="">{t('actions.undecided')}</option>
            {o.unit?.retired ? <option value={o.unit.id}>{t('actions.retired', { name: o.unit.name })}</option> : null}
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
                {u.email ? t('actions.mailed') : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="assigneeId">{t('actions.assignee')}</label>
          <select id="assigneeId" name="assigneeId" defaultValue={o.assignee?.id ?? ''} {...invalid(result, 'assign', 'assigneeId')}>
            <option value="">{t('actions.undecided')}</option>
            {o.assignee && !o.assignee.active ? <option value={o.assignee.id}>{t('actions.inactive', { name: o.assignee.displayName })}</option> : null}
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <SubmitButton intent="assign">{t('actions.assignSubmit')}</SubmitButton>
      </Form>

      <Form method="post" className="action-form" aria-labelledby="due-title">
        <h3 id="due-title">{t('actions.due')}</h3>
        <input type="hidden" name="intent" value="due" />
        <ActionMessage result={result} intent="due" />
        <div className="field">
          <label htmlFor="dueDate">{t('actions.dueDate')}</label>
          <input
            id="dueDate"
            type="date"
            name="dueDate"
            defaultValue={typed(result, 'due', 'dueDate', toLocalDay(o.dueAt))}
            required
            {...invalid(result, 'due', 'dueDate')}
          />
        </div>
        <SubmitButton intent="due">{t('actions.dueSubmit')}</SubmitButton>
      </Form>

      <ConsentWithdrawalForm publicOk={o.publicOk} result={result} />
    </section>
  );
}

/**
 * A citizen withdraws consent to publication by phone, letter or in person:
 * staff record it here (audited), and the shown opinion leaves the public
 * pages at once. Once withdrawn, only the fact is shown.
 */
function ConsentWithdrawalForm({ publicOk, result }: { publicOk: boolean; result: Result }) {
  const { t } = useStaffFormat();
  if (!publicOk) {
    return (
      <section className="action-form" aria-labelledby="consent-title">
        <h3 id="consent-title">{t('actions.consentTitle')}</h3>
        <ActionMessage result={result} intent="consent" />
        <p>{t('actions.consentNone')}</p>
      </section>
    );
  }
  return (
    <Form method="post" className="action-form" aria-labelledby="consent-title">
      <h3 id="consent-title">{t('actions.consentRecord')}</h3>
      <input type="hidden" name="intent" value="consent" />
      <ActionMessage result={result} intent="consent" />
      <p className="hint" id="consent-hint">
        {t('actions.consentHint')}
      </p>
      <div className="field">
        <label htmlFor="consent-via">{t('actions.via')}</label>
        <select id="consent-via" name="via" defaultValue={typed(result, 'consent', 'via', 'phone')} {...invalid(result, 'consent', 'via')}>
          {CONSENT_WITHDRAWAL_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`consentVia.${c}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="consent-note">{t('actions.consentNote', { max: CONSENT_NOTE_MAX })}</label>
        <textarea id="consent-note" name="note" rows={2} defaultValue={typed(result, 'consent', 'note', '')} {...invalid(result, 'consent', 'note')} />
      </div>
      <div className="field field--check">
        <input type="checkbox" id="consent-confirm" name="confirm" required aria-describedby="consent-hint" {...invalid(result, 'consent', 'confirm')} />{' '}
        <label htmlFor="consent-confirm">{t('actions.consentConfirm')}</label>
      </div>
      <SubmitButton intent="consent">{t('actions.consentSubmit')}</SubmitButton>
    </Form>
  );
}

export function NoteForm({ result }: { result: Result }) {
  const { t, number } = useStaffFormat();
  return (
    <Form method="post" className="action-form" aria-labelledby="note-form-title">
      <h3 id="note-form-title">{t('actions.noteTitle')}</h3>
      <input type="hidden" name="intent" value="note" />
      <ActionMessage result={result} intent="note" />
      <div className="field">
        <label htmlFor="note-body">{t('actions.note', { max: number(NOTE_MAX) })}</label>
        <textarea id="note-body" name="body" maxLength={NOTE_MAX} required defaultValue={typed(result, 'note', 'body', '')} {...invalid(result, 'note', 'body')} />
      </div>
      <SubmitButton intent="note">{t('actions.noteSubmit')}</SubmitButton>
    </Form>
  );
}
