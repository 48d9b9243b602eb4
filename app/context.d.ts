import '@remix-run/node';

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** The CSP nonce of this response. */
    cspNonce: string;
    /** The client address (from X-Forwarded-For only when TRUST_PROXY is on). */
    clientIp: string;
  }
}
