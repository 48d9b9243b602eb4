// The OpenAPI 3.1 description of /api/v1, generated from the zod schemas in
// ~/schemas/api (the ones the routes parse and answer with), so the document
// cannot drift from the code. Built once per process.
import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  ApiOpinionInputSchema,
  OpinionCreatedSchema,
  OpinionStatusSchema,
  ProblemSchema,
  PublicRepliesPageSchema,
  RepliesQuerySchema,
  SLUG_PARAM,
  TRACKING_PARAM,
} from '~/schemas/api';
import { getEnv } from '~/utils/env.server';
import { PROBLEM_CONTENT_TYPE } from './api-problem.server';

const STATUS_TEXT: Record<number, string> = {
  400: 'Malformed request (JSON, query or Idempotency-Key).',
  401: 'Missing, unknown or revoked token.',
  403: 'The token\'s scope does not allow this.',
  404: 'Not found.',
  405: 'Method not allowed.',
  409: 'The Idempotency-Key was used with another request, or its first request is still running.',
  413: 'Body over 64 KB.',
  415: 'Body is not UTF-8 JSON.',
  422: 'A field breaks a rule; `errors` lists each with a JSON Pointer.',
  429: 'Over the limit; see Retry-After.',
  500: 'Server error.',
  503: 'Busy; nothing was stored. See Retry-After.',
};

function problems(...statuses: number[]): Record<string, ResponseConfig> {
  return Object.fromEntries(
    statuses.map((s) => [String(s), { description: STATUS_TEXT[s], content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } }]),
  );
}

function build() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearerToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'A token an administrator created at /staff/api-tokens (or with `npm run api-token:create`). Scope `write` may register opinions and read; `read` may only read.',
  });
  const secured = [{ [bearer.name]: [] }];

  registry.registerPath({
    method: 'post',
    path: '/api/v1/opinions',
    summary: 'Register an opinion received through another channel',
    description: 'Needs a `write` token. The opinion passes the web form\'s rules, gets a tracking number and is mailed to the office. Never answers with the person\'s details.',
    security: secured,
    request: {
      headers: z.object({
        'Idempotency-Key': z.string().optional().openapi({ description: 'Any unique string (e.g. a UUID): a retry with the same key and body answers the first result; another body is 409. Kept 24 hours.' }),
      }),
      body: { required: true, content: { 'application/json': { schema: ApiOpinionInputSchema } } },
    },
    responses: {
      201: {
        description: 'Stored (or, with a replayed Idempotency-Key, stored before).',
        headers: z.object({ Location: z.string().url() }),
        content: { 'application/json': { schema: OpinionCreatedSchema } },
      },
      ...problems(400, 401, 403, 409, 413, 415, 422, 429, 500, 503),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/v1/opinions/{trackingNumber}',
    summary: 'The status of an opinion and its published reply',
    security: secured,
    request: { params: TRACKING_PARAM },
    responses: {
      200: { description: 'The status.', content: { 'application/json': { schema: OpinionStatusSchema } } },
      ...problems(401, 403, 404, 429, 500, 503),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/v1/reports/{slug}/replies',
    summary: 'Published replies of a notice, as open data',
    description: 'Public, no token. Newest first; only what the public reply pages show (no tracking numbers, no names or contacts).',
    request: { params: SLUG_PARAM, query: RepliesQuerySchema },
    responses: {
      200: { description: 'One page of replies.', content: { 'application/json': { schema: PublicRepliesPageSchema } } },
      ...problems(400, 404, 429, 500, 503),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/v1/problems/{type}',
    summary: 'What a problem type means',
    request: { params: z.object({ type: z.string() }) },
    responses: {
      200: {
        description: 'The description of a problem type.',
        content: { 'application/json': { schema: z.object({ type: z.string().url(), description: z.string() }).openapi('ProblemTypeDescription') } },
      },
      ...problems(404),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document',
    responses: { 200: { description: 'The OpenAPI 3.1 description.', content: { 'application/json': { schema: z.object({ openapi: z.string() }).passthrough() } } } },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: '意見箱 API',
      version: '1.0.0',
      description:
        'Intake API of the ikenbako opinion portal: other channels register opinions, integrations read their status, and anyone may read the published replies. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: getEnv().PUBLIC_URL }],
  });
}

let document: ReturnType<typeof build> | undefined;

export function getOpenApiDocument() {
  document ??= build();
  return document;
}
