// Mail about a staff account itself (not about an opinion), in the one envelope,
// in the account owner's language (users.language; Japanese when they have none).
import { DEFAULT_LANGUAGE, INTL_LOCALES, type Language } from '~/i18n/config';
import { getT } from '~/i18n/i18n.server';
import { formatDateTime } from '~/utils/local-time';
import { composeMail, type RenderedMail } from './envelope.server';

/** The account owner's stored language; null or absent means Japanese. */
type Recipient = { language?: Language | null };

function mailT(c: Recipient) {
  const lng = c.language ?? DEFAULT_LANGUAGE;
  const t = getT(lng, 'admin');
  /** A moment in Beijing time, the zone named. */
  const at = (iso: string) => t('mail.at', { at: formatDateTime(iso, INTL_LOCALES[lng]) });
  return { t, at };
}

export type SignInAlertContext = Recipient & {
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
  const { t, at } = mailT(c);
  const facts: Array<[string, string]> = [
    [t('mail.account'), c.email],
    [t('mail.failures.count'), t('mail.failures.times', { count: c.failures })],
    [t('mail.failures.first'), at(c.firstAt)],
    [t('mail.failures.last'), at(c.lastAt)],
  ];
  return composeMail(t('mail.failures.subject'), [
    { kind: 'paragraph', text: t('mail.greeting', { name: c.displayName }) },
    { kind: 'paragraph', text: t('mail.failures.happened') },
    { kind: 'facts', rows: facts },
    { kind: 'paragraph', text: t('mail.failures.ifNotYou') },
    { kind: 'link', label: t('mail.signIn'), href: `${c.publicUrl}/staff/login` },
    { kind: 'paragraph', text: t('mail.noReply') },
  ]);
}

export type AccountEvent = 'password_changed' | 'two_factor_enrolled' | 'two_factor_reset' | 'recovery_code_used';

/** To an account's owner when something about the account's security changed. */
export function accountChangedMail(event: AccountEvent, c: Recipient & { displayName: string; email: string; at: string; publicUrl: string }): RenderedMail {
  const { t, at } = mailT(c);
  return composeMail(t(`mail.${event}.subject`), [
    { kind: 'paragraph', text: t('mail.greeting', { name: c.displayName }) },
    { kind: 'paragraph', text: t(`mail.${event}.happened`) },
    {
      kind: 'facts',
      rows: [
        [t('mail.account'), c.email],
        [t('mail.when'), at(c.at)],
      ],
    },
    { kind: 'paragraph', text: `${t(`mail.${event}.ifNotYou`)}\n${t('mail.ifYou')}` },
    { kind: 'link', label: t('mail.accountSettings'), href: `${c.publicUrl}/staff/account` },
    { kind: 'paragraph', text: t('mail.noReply') },
  ]);
}
