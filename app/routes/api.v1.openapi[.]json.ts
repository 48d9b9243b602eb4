// GET /api/v1/openapi.json — the OpenAPI 3.1 description, generated from the
// same zod schemas the routes parse with.
import { apiJson, methodNotAllowed } from '~/server/api-problem.server';
import { publicRoute } from '~/server/api.server';
import { getOpenApiDocument } from '~/server/api-openapi.server';

export const loader = publicRoute(async () =>
  apiJson(getOpenApiDocument(), 200, { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' }),
);

export const action = publicRoute(async () => methodNotAllowed('GET'));
