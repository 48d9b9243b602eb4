import path from 'node:path';
import { z } from 'zod';
import { parseTrustProxy, trustProxyWarning, type TrustProxy } from './client-address';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).default('data/ikenbako.db'),
  /** Set to a postgres:// URL to use PostgreSQL instead of the SQLite file. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  /** Threads that take opinion posts off the event loop (0: the main thread takes them). */
  OPINION_THREADS: z.coerce.number().int().min(0).max(16).default(1),
  PUBLIC_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://')
    .transform((u) => u.replace(/\/+$/, ''))
    .default('http://localhost:3000'),
  TRUST_PROXY: z
    .string()
    .default('0')
    .transform((value, ctx): TrustProxy => {
      const parsed = parseTrustProxy(value);
      if (parsed === null) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a number of proxy hops (0, 1, 2 …) or a comma-separated list of proxy addresses/CIDRs' });
        return z.NEVER;
      }
      return parsed;
    }),
  SMTP_URL: z
    .string()
    .url()
    .refine((u) => /^smtps?:\/\//.test(u), 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_DIR: z.string().min(1).default('data/mail'),
  MAIL_FROM: z.string().min(3).default('意見箱 <no-reply@localhost>'),
  OFFICE_EMAIL: z
    .string()
    .default('office@localhost')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((list) => list.length > 0 && list.every((a) => /^[^\s@]+@[^\s@]+$/.test(a)), 'must be one or more email addresses, comma-separated'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  REQUIRE_2FA: z.enum(['admin', 'moderator', 'all', 'none']).default('admin'),
  SLA_DAYS: z.coerce.number().int().min(1).max(365).default(15),
  RATE_LIMIT_OPINIONS: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_WINDOW_MINUTES: z.coerce.number().positive().default(10),
  ACK_LIMIT_PER_ADDRESS: z.coerce.number().int().min(0).default(3),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(2000),
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).default(24),
  OFFICE_MAIL_MODE: z.enum(['each', 'digest', 'both']).default('each'),
  /** The language of the office's mail (each opinion's notification). */
  OFFICE_LANG: z.enum(['ja', 'zh-Hans', 'en']).default('ja'),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(9),
  ESCALATION_EMAIL: z.string().regex(/^[^\s@,]+@[^\s@,]+$/, 'must be one email address').optional(),
  MAIL_BOUNCE_ADDRESS: z.string().regex(/^[^\s@+,]+@[^\s@,]+$/, 'must be one email address without a "+" (e.g. bounce@example.org)').optional(),
  // Files with an opinion (a photo, a scanned letter): how many, and how large each and together.
  ATTACHMENT_MAX_FILES: z.coerce.number().int().min(0).max(20).default(3),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(5 * 1024 * 1024),
  ATTACHMENT_MAX_TOTAL_BYTES: z.coerce.number().int().min(1024).max(200 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Where attachments are stored (outside public/); beside the database unless told. */
  UPLOAD_DIR: z.string().min(1).optional(),
  /** How long the image child (decision 019) waits for another photo before it exits and gives its memory back. */
  IMAGE_CHILD_IDLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  /** Photos one image child re-encodes before a fresh one takes over (a long burst never idles). */
  IMAGE_CHILD_MAX_JOBS: z.coerce.number().int().min(1).max(1_000_000).default(500),
})
  .refine((env) => env.ATTACHMENT_MAX_BYTES <= env.ATTACHMENT_MAX_TOTAL_BYTES, {
    path: ['ATTACHMENT_MAX_BYTES'],
    message: 'must not be larger than ATTACHMENT_MAX_TOTAL_BYTES',
  })
  .transform((env) => ({ ...env, UPLOAD_DIR: env.UPLOAD_DIR ?? path.join(path.dirname(env.DATABASE_PATH), 'uploads') }));

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {}

/** Parse configuration; throws EnvError with one line naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const input = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = EnvSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    throw new EnvError(`Invalid configuration: ${name} ${issue.message} (got ${JSON.stringify(source[name] ?? '')})`);
  }
  return result.data;
}

/** Settings that work but should be changed; the server logs each at start. */
export function configWarnings(source: Record<string, string | undefined>): string[] {
  return [trustProxyWarning(source.TRUST_PROXY)].filter((w): w is string => w !== null);
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
