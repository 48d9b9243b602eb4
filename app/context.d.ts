import '@remix-run/node';

declare module '@remix-run/node' {
  // Single-fetch types for useLoaderData/useActionData (unwraps data()).
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    /** The CSP nonce of this response. */
    cspNonce: string;
    /** The client address (from X-Forwarded-For as far as TRUST_PROXY trusts it; see utils/client-address). */
    clientIp: string;
    /** Set when the page cache renders a page: per-response parts become placeholders. */
    renderForCache?: boolean;
  }
}
