// POST /api/v1/opinions — another system (the hotline, the post room) registers
// an opinion it received. Answers 201 with the tracking number; never returns
// the person's details.
import { receiveApiOpinion } from '~/models/api-opinions.server';
import { parseApiOpinion } from '~/schemas/api';
import { ApiProblem, apiJson, methodNotAllowed } from '~/server/api-problem.server';
import { publicRoute, readJsonBody, tokenRoute } from '~/server/api.server';
import { idempotent } from '~/server/api-idempotency.server';
import { getDb } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import { getT } from '~/i18n/i18n.server';

export const loader = publicRoute(async () => methodNotAllowed('POST'));

export const action = tokenRoute({ action: 'api.opinion.create', scope: 'write' }, async (call) => {
  if (call.request.method !== 'POST') methodNotAllowed('POST');
  const body = await readJsonBody(call.request);
  return idempotent(call, body, async (formToken) => {
    // The API answers in Japanese, like its other messages.
    const parsed = parseApiOpinion(body, new Date(), getT('ja'));
    if (!parsed.success) throw new ApiProblem(422, '入力内容を確認してください。', { type: 'validation', errors: parsed.errors });
    const result = await receiveApiOpinion(getDb(), parsed.data, { formToken });
    if (!result.ok) throw new ApiProblem(422, '入力内容を確認してください。', { type: 'validation', errors: result.errors });
    call.audit.entityType = 'opinion';
    call.audit.entityId = result.opinionId;
    call.audit.details = { ...call.audit.details, trackingNumber: result.trackingNumber, channel: parsed.data.channel, duplicate: result.duplicate };
    const statusUrl = `${getEnv().PUBLIC_URL}/api/v1/opinions/${result.trackingNumber}`;
    return apiJson({ trackingNumber: result.trackingNumber, statusUrl }, 201, { Location: statusUrl });
  });
});
