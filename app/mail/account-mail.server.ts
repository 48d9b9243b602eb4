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

export type AccountEvent = 'password_changed' | 'two_factor_enrolled' | 'two_factor_reset' | 'recovery_code_used';

const ACCOUNT_EVENT_TEXT: Record<AccountEvent, { subject: string; happened: string; ifNotYou: string }> = {
  password_changed: {
    subject: '【意見箱】パスワードが変更されました',
    happened: 'あなたの職員アカウントのパスワードが変更されました。ほかの端末でのサインインはすべて終了しています。',
    ifNotYou: 'ご自身の操作でない場合は、すぐに管理者に連絡し、パスワードの再発行と二段階認証の再設定を依頼してください。',
  },
  two_factor_enrolled: {
    subject: '【意見箱】二段階認証が設定されました',
    happened: 'あなたの職員アカウントに二段階認証(認証アプリの確認コード)が設定されました。次回からサインインの際に確認コードが必要です。',
    ifNotYou: 'ご自身の操作でない場合は、すぐに管理者に連絡してください。',
  },
  two_factor_reset: {
    subject: '【意見箱】二段階認証が解除されました',
    happened: '管理者があなたの職員アカウントの二段階認証を解除しました。次にサインインしたときに、もう一度設定してください。',
    ifNotYou: '心当たりがない場合は、管理者に確認してください。',
  },
  recovery_code_used: {
    subject: '【意見箱】回復コードでサインインしました',
    happened: 'あなたの職員アカウントに、確認コードの代わりに回復コードでサインインがありました。使った回復コードはもう使えません。',
    ifNotYou: 'ご自身の操作でない場合は、すぐに管理者に連絡し、パスワードの再発行と二段階認証の再設定を依頼してください。',
  },
};

/** To an account's owner when something about the account's security changed. */
export function accountChangedMail(event: AccountEvent, c: { displayName: string; email: string; at: string; publicUrl: string }): RenderedMail {
  const t = ACCOUNT_EVENT_TEXT[event];
  return composeMail(t.subject, [
    { kind: 'paragraph', text: `${c.displayName} 様` },
    { kind: 'paragraph', text: t.happened },
    {
      kind: 'facts',
      rows: [
        ['アカウント', c.email],
        ['日時', `${formatDateTime(c.at)}(北京時間)`],
      ],
    },
    { kind: 'paragraph', text: `${t.ifNotYou}\nご自身の操作であれば、このメールへの対応は不要です。` },
    { kind: 'link', label: 'アカウント設定', href: `${c.publicUrl}/staff/account` },
    { kind: 'paragraph', text: 'このメールは送信専用です。' },
  ]);
}
