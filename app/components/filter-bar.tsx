// The staff lists' filters: a GET form (FilterBar) of labelled fields — a
// <select> (FilterSelect) or a day (FilterDate) — with a submit and a link
// that clears them. A field's id is f-<name> (f-status, f-unit for unitId…).
import type { ReactNode } from 'react';
import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

export type FilterOption = { value: string | number; label: string };

const fieldId = (name: string) => `f-${name.replace(/Id$/, '')}`;

/** A filter form over a list: the fields, then the submit and the clearing link. */
export function FilterBar({
  label,
  submitLabel,
  clearLabel,
  clearTo,
  children,
}: {
  /** The form's accessible name. */
  label: string;
  submitLabel: string;
  clearLabel: string;
  /** The list without filters. */
  clearTo: string;
  children: ReactNode;
}) {
  return (
    <Form method="get" className="filter-form" aria-label={label}>
      {children}
      <button type="submit">{submitLabel}</button> <Link to={clearTo}>{clearLabel}</Link>
    </Form>
  );
}

/**
 * One labelled <select>: an empty "all" choice first, then the options. A
 * value from the URL that is not among the options (a link to a channel no
 * longer offered, say) is kept as a choice, so the form never silently drops
 * a filter that is in force.
 */
export function FilterSelect({
  name,
  label,
  value,
  options,
  extraOptions = [],
}: {
  name: string;
  label: string;
  value: string | number | undefined;
  options: FilterOption[];
  /** Fixed choices shown before the options (after the empty "all"). */
  extraOptions?: FilterOption[];
}) {
  const { t } = useTranslation('staff');
  const id = fieldId(name);
  const all = [...extraOptions, ...options];
  const current = value === undefined ? '' : String(value);
  const missing = current !== '' && !all.some((o) => String(o.value) === current);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={current}>
        <option value="">{t('all')}</option>
        {all.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {missing ? <option value={current}>{current}</option> : null}
      </select>
    </div>
  );
}

/** One labelled day (YYYY-MM-DD, a Shanghai day), empty for no bound. */
export function FilterDate({ name, label, value }: { name: string; label: string; value: string | undefined }) {
  const id = fieldId(name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" name={name} defaultValue={value ?? ''} />
    </div>
  );
}
