// Whether a form on this page is being submitted (the Epic Stack's hook): one
// way for every button to say 送信中… and refuse a second press.
import { useFormAction, useNavigation } from '@remix-run/react';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function useIsPending({
  formAction,
  formMethod = 'POST',
  intent,
}: { formAction?: string; formMethod?: Method; intent?: string } = {}): boolean {
  const contextualFormAction = useFormAction();
  const navigation = useNavigation();
  if (navigation.state !== 'submitting') return false;
  if (navigation.formMethod?.toUpperCase() !== formMethod) return false;
  if ((navigation.formAction ?? '') !== (formAction ?? contextualFormAction)) return false;
  return intent === undefined || navigation.formData?.get('intent') === intent;
}
