// GET /api/v1/opinions/{trackingNumber} — the status of an opinion and its
// published reply: what the public tracking page shows, as JSON.
import { getApiOpinionStatus } from '~/models/api-opinions.server';
import { normalizeTrackingNumber } from '~/domain/tracking-number.server';
import { ApiProblem, apiJson, methodNotAllowed } from '~/server/api-problem.server';
import { publicRoute, tokenRoute } from '~/server/api.server';
import { getDb } from '~/server/db.server';

export const loader = tokenRoute({ action: 'api.opinion.read', scope: 'read' }, async ({ params, audit }) => {
  const trackingNumber = normalizeTrackingNumber(params.trackingNumber ?? '');
  audit.details = { trackingNumber: trackingNumber ?? params.trackingNumber };
  const status = trackingNumber ? await getApiOpinionStatus(getDb(), trackingNumber) : null;
  if (!status) throw new ApiProblem(404, 'この受付番号の意見は見つかりません。');
  return apiJson(status);
});

export const action = publicRoute(async () => methodNotAllowed('GET'));
