// Whether a form on this page is being submitted (the Epic Stack's hook): one
// way for every button to say 送信中… and refuse a second press. A GET form
// (filters) never enters 'submitting', only 'loading': the default state
// 'non-idle' covers both.
import { useFormAction, useNavigation } from '@remix-run/react';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function useIsPending({
  formAction,
  formMethod = 'POST',
  intent,
  state = 'non-idle',
}: { formAction?: string; formMethod?: Method; intent?: string; state?: 'submitting' | 'loading' | 'non-idle' } = {}): boolean {
  const contextualFormAction = useFormAction();
  const navigation = useNavigation();
  const pendingState = state === 'non-idle' ? navigation.state !== 'idle' : navigation.state === state;
  if (!pendingState || navigation.formMethod?.toUpperCase() !== formMethod) return false;
  if ((navigation.formAction ?? '') !== (formAction ?? contextualFormAction)) return false;
  return intent === undefined || navigation.formData?.get('intent') === intent;
}
