// A User-Agent header in words a person recognises their browser by. Browser-safe.

/** "Chrome / Windows" from a User-Agent header: enough to recognise one's own browsers. */
export function describeAgent(ua: string | null): string {
  if (!ua) return '不明';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'その他のブラウザ';
  const system = /Windows/.test(ua) ? 'Windows' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : 'その他';
  return `${browser} / ${system}`;
}
