// GET /api/v1/reports/{slug}/replies — every published reply of a notice as
// open data, newest first: public, paginated, and only what the public reply
// pages show.
import { API_REPLIES_MAX_PER_PAGE, API_REPLIES_PER_PAGE, listApiPublicReplies } from '~/models/api-opinions.server';
import { RepliesQuerySchema } from '~/schemas/api';
import { ApiProblem, apiJson, methodNotAllowed } from '~/server/api-problem.server';
import { publicRoute } from '~/server/api.server';
import { getDb } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';

export const loader = publicRoute(
  async ({ request, params }) => {
    const query = RepliesQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    const perPage = query.success ? Number(query.data.perPage ?? API_REPLIES_PER_PAGE) : 0;
    if (!query.success || perPage > API_REPLIES_MAX_PER_PAGE) {
      throw new ApiProblem(400, `page は1以上の整数、perPage は1〜${API_REPLIES_MAX_PER_PAGE}の整数で指定してください。`);
    }
    const page = Number(query.data.page ?? 1);
    const result = await listApiPublicReplies(getDb(), params.slug ?? '', page, perPage, getEnv().PUBLIC_URL);
    if (!result) throw new ApiProblem(404, 'この通報は見つかりません。');
    if (page > result.pageCount) throw new ApiProblem(404, `このページはありません(全${result.pageCount}ページ)。`);
    return apiJson(result, 200, { 'Cache-Control': 'public, max-age=60', 'Access-Control-Allow-Origin': '*' });
  },
  { rateLimited: true },
);

export const action = publicRoute(async () => methodNotAllowed('GET'));
