// Calls the intake API and checks every answer against the OpenAPI document
// the server serves at /api/v1/openapi.json. The validator is small and
// installs nothing: it walks the JSON Schema (2020-12 subset that
// zod-to-openapi emits) and fails loudly on a keyword it does not know, so a
// schema it cannot check is never passed silently.
import { expect } from 'vitest';
import { createApiToken } from '~/models/api-tokens.server';
import { openDatabase } from '~/server/db.server';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = Record<string, unknown>;
type OpenApi = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>; components?: { schemas?: Record<string, Schema> } };

const ANNOTATIONS = new Set(['description', 'example', 'examples', 'title', 'default', 'deprecated', 'readOnly', 'writeOnly']);
const CHECKED = new Set([
  '$ref', 'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', 'oneOf', 'allOf',
  'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Problems with `value` against `schema` (an empty list means valid). */
export function validateSchema(doc: OpenApi, schema: Schema, value: unknown, at = '$'): string[] {
  for (const key of Object.keys(schema)) {
    if (!CHECKED.has(key) && !ANNOTATIONS.has(key)) throw new Error(`validator does not know the keyword "${key}" (at ${at})`);
  }
  if (typeof schema.$ref === 'string') {
    const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name ? doc.components?.schemas?.[name] : undefined;
    if (!target) return [`${at}: unresolved $ref ${schema.$ref}`];
    return validateSchema(doc, target, value, at);
  }
  const errors: string[] = [];
  const t = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const ok = types.some((want) => want === t || (want === 'number' && t === 'integer'));
    if (!ok) return [`${at}: expected ${types.join('|')}, got ${t}`];
  }
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if ('const' in schema && schema.const !== value) errors.push(`${at}: expected const ${JSON.stringify(schema.const)}`);
  if (t === 'string') {
    const s = value as string;
    if (typeof schema.minLength === 'number' && [...s].length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && [...s].length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(s)) errors.push(`${at}: does not match ${schema.pattern}`);
    if (schema.format === 'uri' && !/^[a-z][a-z0-9+.-]*:/i.test(s)) errors.push(`${at}: not a URI`);
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(s))) errors.push(`${at}: not a date-time`);
  }
  if (t === 'integer' || t === 'number') {
    const n = value as number;
    if (typeof schema.minimum === 'number' && n < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && n > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && n <= schema.exclusiveMinimum) errors.push(`${at}: not above ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === 'number' && n >= schema.exclusiveMaximum) errors.push(`${at}: not below ${schema.exclusiveMaximum}`);
  }
  if (t === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in obj)) errors.push(`${at}: missing required "${name}"`);
    for (const [name, v] of Object.entries(obj)) {
      if (props[name]) errors.push(...validateSchema(doc, props[name], v, `${at}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property "${name}"`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        errors.push(...validateSchema(doc, schema.additionalProperties as Schema, v, `${at}.${name}`));
      }
    }
  }
  if (t === 'array') {
    const arr = value as unknown[];
    if (schema.items) arr.forEach((v, i) => errors.push(...validateSchema(doc, schema.items as Schema, v, `${at}[${i}]`)));
    if (typeof schema.minItems === 'number' && arr.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && arr.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
  }
  if (schema.allOf) for (const s of schema.allOf as Schema[]) errors.push(...validateSchema(doc, s, value, at));
  if (schema.anyOf && !(schema.anyOf as Schema[]).some((s) => validateSchema(doc, s, value, at).length === 0)) errors.push(`${at}: matches none of anyOf`);
  if (schema.oneOf && (schema.oneOf as Schema[]).filter((s) => validateSchema(doc, s, value, at).length === 0).length !== 1) {
    errors.push(`${at}: does not match exactly one of oneOf`);
  }
  return errors;
}

/** The documented path template that an actual path matches. */
function templateFor(doc: OpenApi, pathname: string): string | undefined {
  return Object.keys(doc.paths).find((template) => {
    const re = new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '$');
    return re.test(pathname);
  });
}

export type ApiResponse = { status: number; headers: Headers; contentType: string; body: Json; text: string };
type Recorded = { method: string; path: string; status: number; contentType: string; body: Json };

/** A client that records every API answer, to be checked against the document with `validateAll`. */
export function apiClient(baseUrl: string) {
  const recorded: Recorded[] = [];
  async function call(method: string, path: string, options: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(baseUrl + path, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    const contentType = (res.headers.get('content-type') ?? '').split(';')[0].trim();
    // Never an HTML page, whatever happened.
    expect(contentType, `${method} ${path} answered ${res.status} ${contentType}: ${text.slice(0, 200)}`).toMatch(/^application\/(problem\+)?json$/);
    const parsed = JSON.parse(text) as Json;
    recorded.push({ method, path: new URL(baseUrl + path).pathname, status: res.status, contentType, body: parsed });
    return { status: res.status, headers: res.headers, contentType, body: parsed, text };
  }

  /** Every recorded answer against the document: its path, method, status and media type must be described, and its body must fit. */
  function validateAll(doc: OpenApi): { checked: number; problems: string[] } {
    const problems: string[] = [];
    for (const r of recorded) {
      const where = `${r.method} ${r.path} → ${r.status}`;
      const template = templateFor(doc, r.path);
      const operation = template ? doc.paths[template][r.method.toLowerCase()] : undefined;
      // Methods a path does not have answer 405 problem+json, and unknown paths 404; both are Problems.
      const response = operation?.responses[String(r.status)];
      const schema = response?.content?.[r.contentType]?.schema ?? (operation ? undefined : r.status === 404 || r.status === 405 ? { $ref: '#/components/schemas/Problem' } : undefined);
      if (!schema) {
        problems.push(`${where}: not described (${r.contentType})`);
        continue;
      }
      problems.push(...validateSchema(doc, schema as Schema, r.body).map((e) => `${where}: ${e}`));
    }
    return { checked: recorded.length, problems };
  }

  return { call, validateAll, recorded };
}

/** Creates a token directly in the database file a test server uses. */
export async function createTestToken(dbFile: string, scope: 'read' | 'write', options: { name?: string; rateLimitPerMinute?: number } = {}) {
  const { db } = openDatabase(dbFile);
  try {
    const { token, secret } = await createApiToken(db, { actor: null, actorLabel: 'test' }, {
      name: options.name ?? `テスト連携(${scope})`,
      scope,
      rateLimitPerMinute: options.rateLimitPerMinute ?? 600,
    });
    return { ...token, secret };
  } finally {
    await db.destroy();
  }
}
