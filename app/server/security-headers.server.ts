import { randomBytes } from '~/utils/random-bytes.server';

export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The policy for a page whose inline scripts are allowed by `scriptSources`:
 * this response's nonce, or (the cached report page, decision 014) the hashes
 * of the scripts it carries.
 */
export function contentSecurityPolicy(scriptSources: string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${scriptSources.join(' ')}`.trimEnd(),
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Headers for every response. Scripts run only from our origin or with this
 * response's nonce (Remix's inline hydration scripts carry it).
 */
export function securityHeaders(nonce: string, options: { hsts: boolean }): Record<string, string> {
  return {
    // Only when the public address is https: a browser then refuses plain
    // http for a year. Not includeSubDomains: other sites may share the domain.
    ...(options.hsts ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
    'Content-Security-Policy': contentSecurityPolicy([`'nonce-${nonce}'`]),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

/**
 * Headers (lower case) that pages rendered per request carry and the cached
 * report page does not (decision 015, twenty-first session).
 * `Cross-Origin-Opener-Policy: same-origin` keeps other origins' windows away
 * from a page that may hold something of its reader's: a staff session, a
 * receipt, personal data. The cached page is the same bytes for everyone, with
 * no cookie, token or anything else of one reader's. There the header put the
 * page in a new browsing context group whenever it was opened from a page
 * without it (another site, a new tab, Lighthouse's about:blank); in Lighthouse
 * that new renderer process was most of the page's total blocking time.
 */
export const PER_REQUEST_ONLY_HEADERS: ReadonlySet<string> = new Set(['cross-origin-opener-policy']);

/**
 * Pages no browser or proxy may keep: the staff console and its sign-in
 * (`/staff`, `/staff/…`, `/staff.data`, `/staff/….data`) and receipts.
 */
export function isPrivatePath(url: string): boolean {
  return /^\/(?:staff(?:[/.?]|$)|receipts\/)/.test(url);
}
