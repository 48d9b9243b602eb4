import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { isLanguage } from '~/i18n/config';
import { serializeLanguageCookie } from '~/i18n/i18n.server';

/** A path on this site only: "/x", never "//evil.example" or "/\evil.example". */
function samePath(value: string | null): string {
  // Browsers drop tabs and newlines from a URL, so "/\t/evil" would become "//evil".
  if (!value || !value.startsWith('/') || value.startsWith('//') || /[\\\x00-\x1f\x7f]/.test(value)) return '/';
  return value;
}

/** GET /language?lng=en&redirectTo=/track — the language switch: remember the choice, go back. */
export function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const lng = url.searchParams.get('lng');
  const to = samePath(url.searchParams.get('redirectTo'));
  return redirect(to, {
    status: 303,
    headers: isLanguage(lng) ? { 'Set-Cookie': serializeLanguageCookie(lng), 'Cache-Control': 'no-store' } : { 'Cache-Control': 'no-store' },
  });
}
