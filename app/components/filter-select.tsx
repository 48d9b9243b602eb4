// One labelled <select> of the inbox filters: an empty "all" choice first,
// then the options. A value from the URL that is not among the options (a
// link to a channel no longer offered, say) is kept as a choice, so the form
// never silently drops a filter that is in force.
import { useTranslation } from 'react-i18next';

export type FilterOption = { value: string | number; label: string };

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
  const id = `f-${name.replace(/Id$/, '')}`; // f-status, f-unit (unitId)…
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
