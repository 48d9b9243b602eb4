// Mail about a staff account itself (not about an opinion). Text and HTML
// carry the same content.
import { formatDateTime } from '~/utils/local-time';
import { escapeHtml, type RenderedMail } from '~/mail/templates.server';

export type SignInAlertContext = {
  displayName: string;
  email: string;
  failures: number;
  /** The first and the latest failed attempt of the run (ISO). */
  firstAt: string;
  lastAt: string;
  publicUrl: string;
};

/** To an account's owner when sign-ins to it keep failing: someone may be guessing the password. */
export function signInFailuresAlert(c: SignInAlertContext): RenderedMail {
  const subject = '【意見箱】職員アカウントへのサインインの失敗が続いています';
  const loginUrl = `${c.publicUrl}/staff/login`;
  const facts: Array<[string, string]> = [
    ['アカウント', c.email],
    ['続けて失敗した回数', `${c.failures}回`],
    ['最初の失敗', `${formatDateTime(c.firstAt)}(北京時間)`],
    ['最新の失敗', `${formatDateTime(c.lastAt)}(北京時間)`],
  ];
  const lead = [
    `${c.displayName} 様`,
    '',
    'あなたの職員アカウントに対して、誤ったパスワードでのサインインが続けて行われています。',
    '失敗が続くあいだは、次に試せるまでの待ち時間が少しずつ長くなります(アカウントが使えなくなることはありません)。',
  ];
  const advice = [
    'ご自身の操作でない場合は、第三者がパスワードを推測している可能性があります。管理者に連絡し、パスワードの再発行を依頼してください。',
    'ご自身の操作であれば、このメールへの対応は不要です。',
  ];
  const text = [...lead, '', ...facts.map(([k, v]) => `${k}:${v}`), '', ...advice, '', `サインイン:${loginUrl}`, '', 'このメールは送信専用です。', ''].join('\n');
  const html = [
    `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    ...lead.filter(Boolean).map((line) => `<p>${escapeHtml(line)}</p>`),
    `<table cellpadding="4" style="border-collapse:collapse">${facts
      .map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
      .join('')}</table>`,
    ...advice.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p>サインイン:<a href="${escapeHtml(loginUrl)}">${escapeHtml(loginUrl)}</a></p>`,
    '<p>このメールは送信専用です。</p>',
    '</body></html>',
  ].join('');
  return { subject, text, html };
}
