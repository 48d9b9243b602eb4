// POST /staff/privacy/export.json (admins): everything stored for an email
// address or phone number, as a JSON file for the person who asked. A POST so
// that the address or number is never in a URL; audited by the model.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { getRequestT } from '~/i18n/i18n.server';
import { exportPersonalData } from '~/models/privacy-export.server';
import { formMessage } from '~/schemas/admin-messages';
import { privacyExportSchema } from '~/schemas/privacy';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm } from '~/utils/form.server';
import { formatSortableDateTime } from '~/utils/local-time';

/** The file is made from the search form on /staff/privacy. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin');
  return redirect('/staff/privacy', 303);
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin');
  const form = await parseForm(request, privacyExportSchema);
  if (!form.success) {
    const { t } = await getRequestT(request, 'admin');
    return new Response(formMessage(t, form.errors.query ?? 'admin:checkInput'), {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
  // Worded in the staff member's language, who hands it to the person.
  const { t } = await getRequestT(request, ['common', 'staff']);
  const file = await exportPersonalData(getDb(), actor, form.data.query, new Date(), t);
  const stamp = formatSortableDateTime(file.exportedAt).replace(/[-: ]/g, '').slice(0, 12);
  return new Response(JSON.stringify(file, null, 2) + '\n', {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="ikenbako-personal-data-${stamp.slice(0, 8)}-${stamp.slice(
        8,
      )}.json"`,
      'Cache-Control': 'no-store',
    },
  });
}
