// A User-Agent header in words a person recognises their browser by. Browser-safe.

/** The words for what the header does not name, in the reader's language. */
export type AgentWords = { unknown: string; otherBrowser: string; otherSystem: string };

/** "Chrome / Windows" from a User-Agent header: enough to recognise one's own browsers. */
export function describeAgent(ua: string | null, words: AgentWords): string {
  if (!ua) return words.unknown;
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : words.otherBrowser;
  const system = /Windows/.test(ua) ? 'Windows' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : words.otherSystem;
  return `${browser} / ${system}`;
}
