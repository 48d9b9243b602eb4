// The inbox's keyword search at a million opinions (decision 013). Terms of
// 3+ characters go through the trigram index (one MATCH), terms of 1–2
// characters through the grams index, and opinions stored in the last moment,
// not indexed yet, are matched by their text, so a search never misses one.
// How the matches are used depends on how many there are, which FTS5 tells
// cheaply: few → look each up and sort them; many → walk the inbox's order
// (newest first) and stop at the page's end.
import { sql, type RawBuilder } from 'kysely';
import type { DB } from '~/server/db.server';
import { searchTerms } from '~/utils/highlight';
import { isGramTerm } from '~/utils/search-grams.mjs';

/** Trigram FTS needs at least this many characters in a term; shorter terms use the grams index. */
export const FTS_MIN_CHARS = 3;

/** Up to this many matches are looked up one by one; more are probed while walking the inbox's order. */
const LOOKUP_MAX = 1_500;

/** Counts per status for a search stop after this many matches (each is a row lookup). */
export const SEARCH_COUNT_CAP = 2_000;

/** Wraps a term as an FTS5 string so that quotes, NEAR(, AND, * and the like are searched literally. */
export function ftsPhrase(term: string): string {
  return `"${term.replace(/\u0000/g, '').replace(/"/g, '""')}"`;
}

function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The term anywhere in the body, the name or the tracking number of `alias` (read row by row). */
export function textMatch(term: string, alias = 'o'): RawBuilder<unknown> {
  const p = likePattern(term);
  const o = sql.raw(alias);
  return sql`(${o}.body like ${p} escape '\\' or ${o}.name like ${p} escape '\\' or ${o}.tracking_number like ${p} escape '\\')`;
}

type IndexPart = { index: 'opinions_fts' | 'opinions_grams'; match: string; terms: string[]; matches: number };

/** A search, with how many indexed matches each of its parts has (counted up to SEARCH_COUNT_CAP + 1). */
export type SearchPlan = { parts: IndexPart[]; unindexed: string[] };

export const NO_SEARCH: SearchPlan = { parts: [], unindexed: [] };

/** Splits `q` into index lookups and counts their matches (a few ms at a million opinions). */
export async function planSearch(db: DB, q: string | undefined): Promise<SearchPlan> {
  const terms = searchTerms(q);
  if (terms.length === 0) return NO_SEARCH;
  const long = terms.filter((t) => [...t].length >= FTS_MIN_CHARS);
  const grams = terms.filter((t) => [...t].length < FTS_MIN_CHARS && isGramTerm(t));
  const parts: IndexPart[] = [];
  for (const [index, list] of [['opinions_fts', long], ['opinions_grams', grams]] as const) {
    if (list.length === 0) continue;
    const match = list.map(ftsPhrase).join(' AND ');
    const row = await sql<{ n: number }>`select count(*) as n from (
      select rowid from ${sql.table(index)} where ${sql.table(index)} match ${match} limit ${SEARCH_COUNT_CAP + 1})`.execute(db);
    parts.push({ index, match, terms: list, matches: Number(row.rows[0]?.n ?? 0) });
  }
  // Short terms with punctuation or symbols in them: no index holds those.
  const unindexed = terms.filter((t) => [...t].length < FTS_MIN_CHARS && !isGramTerm(t));
  return { parts, unindexed };
}

/**
 * The search's conditions over `opinions as o`. With `countCap`, each index
 * lookup stops after that many matches (the counts are then at least the
 * numbers found).
 */
export function searchConditions(plan: SearchPlan, options: { countCap?: number } = {}): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  for (const part of plan.parts) {
    const limit = options.countCap === undefined ? sql`` : sql` limit ${options.countCap}`;
    // Not indexed yet: matched by their text (the queue holds a second's worth).
    const ids = sql`select rowid from (select rowid from ${sql.table(part.index)} where ${sql.table(part.index)} match ${part.match}${limit})
      union all
      select t.id from opinions t where t.id in (select opinion_id from opinions_search_queue)
      and ${sql.join(part.terms.map((term) => textMatch(term, 't')), sql` and `)}`;
    // The unary + keeps SQLite from driving the query by the matches (a row
    // lookup each, then a sort): it walks the inbox's index and probes the
    // matched set instead, stopping at the page's end.
    const lookUp = options.countCap !== undefined || part.matches <= LOOKUP_MAX;
    conditions.push(lookUp ? sql`o.id in (${ids})` : sql`+o.id in (${ids})`);
  }
  for (const term of plan.unindexed) conditions.push(textMatch(term));
  return conditions;
}

/** Whether counts made with `countCap: SEARCH_COUNT_CAP` may be short of the truth. */
export function searchCountCapped(plan: SearchPlan): boolean {
  return plan.parts.some((p) => p.matches > SEARCH_COUNT_CAP);
}
