import '@remix-run/node';

declare module '@remix-run/node' {
  // Single-fetch types for useLoaderData/useActionData (unwraps data()).
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    /** The CSP nonce of this response ('' when the page cache renders: its CSP names script hashes). */
    cspNonce: string;
    /** The client address (from X-Forwarded-For as far as TRUST_PROXY trusts it; see utils/client-address). */
    clientIp: string;
    /** Set when the page cache renders a page sent to everyone: no per-response parts. */
    renderForCache?: boolean;
    /** On such a render by an opinion thread: the main thread's views not yet written, per report. */
    viewsPending?: Record<number, number>;
  }
}
