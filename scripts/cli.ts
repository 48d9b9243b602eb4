// Shared by the operations scripts: one clear line on failure, exit code 2 for usage errors.
import type { z } from 'zod';
import { EnvError } from '../app/utils/env.server';
import { getT } from '../app/i18n/i18n.server';
import { formMessage } from '../app/schemas/admin-messages';

export class UsageError extends Error {}

export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof UsageError || error instanceof EnvError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

/** Parses `--name value` and `--flag` arguments. */
export function parseArgs(argv: string[]): { positional: string[]; options: Map<string, string | true> } {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--')) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        options.set(arg.slice(2), next);
        i++;
      } else {
        options.set(arg.slice(2), true);
      }
    } else {
      positional.push(arg);
    }
  }
  return { positional, options };
}

/**
 * Reads `--flag value` options into the fields of a zod schema (`fields` maps
 * each flag to its field); `switches` are flags without a value. An unknown
 * argument or a missing or invalid value is a UsageError naming the flag.
 */
export function parseOptions<S extends z.ZodTypeAny>(
  argv: string[],
  usage: string,
  schema: S,
  fields: Record<string, string>,
  switches: string[] = [],
): { data: z.output<S>; switches: Set<string> } {
  const { positional, options } = parseArgs(argv);
  const unknown = [...options.keys()].filter((k) => !(k in fields) && !switches.includes(k));
  if (positional.length || unknown.length) {
    throw new UsageError(`引数が正しくありません / Unknown argument: ${[...positional, ...unknown.map((k) => `--${k}`)].join(' ')}. ${usage}`);
  }
  const raw: Record<string, string> = {};
  for (const [flag, field] of Object.entries(fields)) {
    const v = options.get(flag);
    raw[field] = typeof v === 'string' ? v : '';
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flagName = Object.entries(fields).find(([, field]) => field === String(issue.path[0]))?.[0];
    const flag = flagName ? `--${flagName}` : '';
    throw new UsageError(`${flag} ${formMessage(getT('ja', 'admin'), issue.message)} / ${flag} is missing or invalid. ${usage}`);
  }
  return { data: parsed.data, switches: new Set(switches.filter((s) => options.get(s) === true)) };
}
