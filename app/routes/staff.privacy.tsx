// /staff/privacy (admins): answer a person's request about their own data —
// find what is stored for an email address or phone number, export it as
// JSON, or erase it after a confirmation step. Every step is a POST, so the
// address or number never sits in a URL (history, logs, Referer); each step
// works without JavaScript.
import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { getRequestT } from '~/i18n/i18n.server';
import { formMessage } from '~/schemas/admin-messages';
import { Confirm, Erased, Found, SearchForm, type PrivacyQueryKind } from '~/components/privacy-request';
import {
  erasePersonalData,
  findPersonalData,
  type ErasureResult,
  type PersonalDataFound,
} from '~/models/privacy-requests.server';
import { privacyActionSchema } from '~/schemas/privacy';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm } from '~/utils/form.server';

const NO_STORE = { 'Cache-Control': 'no-store' };

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

// Personal data: never kept by a browser or a proxy.
export const headers: HeadersFunction = () => NO_STORE;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin');
  const { t } = await getRequestT(request, 'admin');
  return data({ title: t('privacy.meta') }, { headers: NO_STORE });
}

type ActionResult =
  | { stage: 'invalid'; query: string; error: string }
  | { stage: 'results'; query: string; kind: PrivacyQueryKind; found: PersonalDataFound }
  | { stage: 'confirm'; query: string; kind: PrivacyQueryKind; found: PersonalDataFound }
  | { stage: 'erased'; query: string; kind: PrivacyQueryKind; result: ErasureResult };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin');
  const form = await parseForm(request, privacyActionSchema);
  if (!form.success) {
    const { t } = await getRequestT(request, 'admin');
    return data<ActionResult>(
      {
        stage: 'invalid',
        query: form.values.query ?? '',
        error: formMessage(t, form.errors.query ?? form.formError ?? 'admin:checkInput'),
      },
      { status: 400, headers: NO_STORE },
    );
  }
  const db = getDb();
  const { intent, query } = form.data;
  const base = { query: query.value, kind: query.kind };
  let result: ActionResult;
  switch (intent) {
    case 'search':
      result = { stage: 'results', ...base, found: await findPersonalData(db, query) };
      break;
    case 'review-erase':
      result = { stage: 'confirm', ...base, found: await findPersonalData(db, query) };
      break;
    case 'erase':
      result = { stage: 'erased', ...base, result: await erasePersonalData(db, actor, query, form.data.opinionIds) };
      break;
  }
  return data<ActionResult>(result, { headers: NO_STORE });
}

export default function StaffPrivacy() {
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const resultRef = useRef<HTMLDivElement>(null);
  const { t } = useTranslation('admin');
  useEffect(() => {
    if (result && result.stage !== 'invalid')
      resultRef.current?.querySelector<HTMLElement>('#privacy-results-title')?.focus();
    else if (result) document.getElementById('privacy-query')?.focus();
  }, [result]);

  return (
    <div>
      <h1>{t('privacy.heading')}</h1>
      <p>{t('privacy.intro')}</p>
      <SearchForm query={result?.query ?? ''} error={result?.stage === 'invalid' ? result.error : undefined} />
      <div ref={resultRef}>
        {result?.stage === 'results' ? <Found query={result.query} kind={result.kind} found={result.found} /> : null}
        {result?.stage === 'confirm' ? <Confirm query={result.query} kind={result.kind} found={result.found} /> : null}
        {result?.stage === 'erased' ? <Erased result={result.result} /> : null}
      </div>
    </div>
  );
}
