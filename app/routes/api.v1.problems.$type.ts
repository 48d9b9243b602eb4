// The problem types the API answers with (RFC 9457 "type" URIs), described
// where they point.
import { ApiProblem, apiJson, methodNotAllowed, PROBLEM_TYPES, problemTypeUri, type ProblemType } from '~/server/api-problem.server';
import { publicRoute } from '~/server/api.server';

export const loader = publicRoute(async ({ params }) => {
  const type = params.type ?? '';
  if (!Object.hasOwn(PROBLEM_TYPES, type)) throw new ApiProblem(404, 'この問題の種類はありません。');
  return apiJson({ type: problemTypeUri(type as ProblemType), description: PROBLEM_TYPES[type as ProblemType] }, 200, { 'Cache-Control': 'public, max-age=3600' });
});

export const action = publicRoute(async () => methodNotAllowed('GET'));
