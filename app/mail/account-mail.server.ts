// Mail about a staff account itself (not about an opinion), in the one envelope.
import { formatDateTime } from '~/utils/local-time';
import { composeMail, type RenderedMail } from './envelope.server';

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
  return composeMail(subject, [
    { kind: 'paragraph', text: `${c.displayName} 様` },
    {
      kind: 'paragraph',
      text:
        'あなたの職員アカウントに対して、誤ったパスワードでのサインインが続けて行われています。\n' +
        '失敗が続くあいだは、次に試せるまでの待ち時間が少しずつ長くなります(アカウントが使えなくなることはありません)。',
    },
    { kind: 'facts', rows: facts },
    {
      kind: 'paragraph',
      text:
        'ご自身の操作でない場合は、第三者がパスワードを推測している可能性があります。管理者に連絡し、パスワードの再発行を依頼してください。\n' +
        'ご自身の操作であれば、このメールへの対応は不要です。',
    },
    { kind: 'link', label: 'サインイン', href: loginUrl },
    { kind: 'paragraph', text: 'このメールは送信専用です。' },
  ]);
}
