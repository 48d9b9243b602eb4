// Anything else under /api answers problem+json, never the HTML 404 page.
import { ApiProblem } from '~/server/api-problem.server';
import { publicRoute } from '~/server/api.server';

const notFound = publicRoute(async () => {
  throw new ApiProblem(404, 'この API のアドレスはありません。/api/v1/openapi.json に一覧があります。');
});

export const loader = notFound;
export const action = notFound;
