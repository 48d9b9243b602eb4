// A field hidden from people (CSS and aria-hidden, tabindex -1, autocomplete
// off) that form-filling bots complete. A hit is answered like a success.
import { HONEYPOT_FIELD } from '~/schemas/opinion';

export { HONEYPOT_FIELD };

export function isHoneypotHit(form: FormData): boolean {
  const v = form.get(HONEYPOT_FIELD);
  return typeof v === 'string' ? v.trim() !== '' : v !== null;
}
