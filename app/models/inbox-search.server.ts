// The inbox's keyword search at a million opinions (decision 013). Terms of
// 3+ characters go through the trigram index (one MATCH), terms of 1–2
// characters through the grams index, and opinions stored in the last moment,
// not indexed yet, are matched by their text, so a search never misses one.
// How the matches are used depends on how many there are, which FTS5 tells
// cheaply: few → look each up and sort them; many → walk the inbox's order
// (newest first) and stop at the page's end.
//
// PostgreSQL (decision 016) has no FTS5: every term is an escaped ILIKE over
// the same three columns, which the pg_trgm GIN indexes serve for 3+
// characters (1–2 characters are read row by row, as the issue allows). The
// meaning is the same on both: the term anywhere in the text, letters of any
// case (FTS5's trigram and unicode61 fold case beyond ASCII, and so does ILIKE
// under a UTF-8 ctype).
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { isPostgres } from '../../db/dialect';
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

/** SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's ILIKE that of every letter. */
type CaselessLike = 'like' | 'ilike';

/** The term anywhere in the body, the name or the tracking number of `alias` (read row by row). */
export function textMatch(term: string, alias = 'o', like: CaselessLike = 'like'): RawBuilder<unknown> {
  // No stored text holds NUL, and PostgreSQL refuses it in a parameter.
  if (like === 'ilike' && term.includes('\u0000')) return sql`(1 = 0)`;
  const p = likePattern(term);
  const o = sql.raw(alias);
  const op = sql.raw(like);
  return sql`(${o}.body ${op} ${p} escape '\\' or ${o}.name ${op} ${p} escape '\\' or ${o}.tracking_number ${op} ${p} escape '\\')`;
}

type IndexPart = {
  index: 'opinions_fts' | 'opinions_grams' | 'pg_trgm';
  match: string;
  terms: string[];
  matches: number;
  /** The largest id among the matches counted (ascending ids): how densely they lie. */
  lastId: number;
  /** The largest opinion id: with the density, how many matches there are beyond those counted. */
  maxId: number;
};

/** A search, with how many indexed matches each of its parts has (counted up to SEARCH_COUNT_CAP + 1). */
export type SearchPlan = { parts: IndexPart[]; unindexed: string[] };

export const NO_SEARCH: SearchPlan = { parts: [], unindexed: [] };

/** Every term an ILIKE (PostgreSQL). */
function allTerms(terms: string[], alias: string): RawBuilder<unknown> {
  return sql.join(terms.map((term) => textMatch(term, alias, 'ilike')), sql` and `);
}

/** Splits `q` into index lookups and counts their matches (a few ms at a million opinions). */
export async function planSearch(db: DB, q: string | undefined): Promise<SearchPlan> {
  const terms = searchTerms(q);
  if (terms.length === 0) return NO_SEARCH;
  if (isPostgres(db)) {
    const row = await sql<{ n: number }>`select count(*) as n from (
      select 1 from opinions t where ${allTerms(terms, 't')} limit ${SEARCH_COUNT_CAP + 1}) m`.execute(db);
    return { parts: [{ index: 'pg_trgm', match: '', terms, matches: Number(row.rows[0]?.n ?? 0), lastId: 0, maxId: 0 }], unindexed: [] };
  }
  const long = terms.filter((t) => [...t].length >= FTS_MIN_CHARS);
  const grams = terms.filter((t) => [...t].length < FTS_MIN_CHARS && isGramTerm(t));
  const parts: IndexPart[] = [];
  for (const [index, list] of [['opinions_fts', long], ['opinions_grams', grams]] as const) {
    if (list.length === 0) continue;
    const match = list.map(ftsPhrase).join(' AND ');
    const row = await sql<{ n: number; last: number | null; top: number | null }>`select count(*) as n, max(rowid) as last,
      (select max(id) from opinions) as top from (
      select rowid from ${sql.table(index)} where ${sql.table(index)} match ${match} limit ${SEARCH_COUNT_CAP + 1})`.execute(db);
    const [r] = row.rows;
    parts.push({ index, match, terms: list, matches: Number(r?.n ?? 0), lastId: Number(r?.last ?? 0), maxId: Number(r?.top ?? 0) });
  }
  // Short terms with punctuation or symbols in them: no index holds those.
  const unindexed = terms.filter((t) => [...t].length < FTS_MIN_CHARS && !isGramTerm(t));
  return { parts, unindexed };
}

/**
 * The search's one part, when it is an SQLite index with more matches than
 * are looked up one by one (what the walk and reading newest first need);
 * null otherwise.
 */
function manyIndexedMatches(plan: SearchPlan): IndexPart | null {
  if (plan.unindexed.length > 0 || plan.parts.length !== 1) return null;
  const [part] = plan.parts;
  return part.index === 'pg_trgm' || part.matches <= LOOKUP_MAX || part.lastId <= 0 ? null : part;
}

/** The part's matches in all, from how densely the first ones counted lie among the ids. */
function estimatedMatches(part: IndexPart): number {
  return (part.matches * part.maxId) / part.lastId;
}

/** A walk is tried when the page's end is expected within this many opinions, newest first. */
const WALK_EXPECTED_MAX = 5_000;

/**
 * The grams index gives its matches cheaply (one token's list of ids, ~0.2 µs
 * a match at a million) while the walk reads each opinion at random in a
 * large table (~6 µs), so a term of that index is walked only when all its
 * matches are at least this many times the opinions the walk expects to read.
 * Measured at a million, page 1: 王 (43,000 matches, 1,250 to read) 13 → 8 ms,
 * 住宅 (82,000, 600) 13.4 → 4.4 ms; 橋 (17,000, 3,100) would go 9 → 29 ms.
 */
const GRAMS_WALK_RATIO = 30;

/**
 * A character whose case FTS5 never folds, to or from: it has no other case
 * in Unicode. Both indexes then match a term of such characters exactly
 * where the text holds it as it is (tests/integration/search-walk.test.ts
 * checks this against FTS5's trigram and unicode61 for every code point).
 */
export function caseless(term: string): boolean {
  for (const c of term) {
    // NUL is left out of FTS5 phrases; SQLite reads U+FFFE, U+FFFF and lone surrogates as U+FFFD.
    const code = c.codePointAt(0)!;
    if (code === 0 || (code >= 0xd800 && code <= 0xdfff) || (code >= 0xfffd && code <= 0xffff)) return false;
    if (c.toLowerCase() !== c || c.toUpperCase() !== c) return false;
  }
  return true;
}

/**
 * Letters to JavaScript's Unicode (so searchGrams keeps them in a gram) that
 * FTS5's unicode61 tables, from an older Unicode, read as separators: New Tai
 * Lue's vowel signs and two Vedic signs. A gram holding one is not the token
 * FTS5 looks up, so such a term is never walked (search-walk.test.ts lists
 * every code point on which the two disagree).
 */
export const NOT_FTS5_LETTERS = /[\u19B0-\u19C0\u19C8\u19C9\u1CF2\u1CF3]/u;

/**
 * For a page whose end is the `need`-th match: walk the inbox's order
 * (newest first) reading each opinion's text instead of materialising every
 * match, when the matches are dense (a phrase in an eighth of a million
 * opinions: 134 ms materialised, under 1 ms walked; 駐車 in the grams index
 * at a million, its page 8.9 → 1.8 ms). Only for terms of caseless characters
 * (Japanese, Chinese, digits…), which the text holds exactly as FTS5 matches
 * them: the trigram index reads the text as it is, and the grams index the
 * text as NFC, which is how every opinion's text is stored (the schemas'
 * cleanMultiline and cleanLine). The number of opinions to read is estimated
 * from how densely the first matches lie among the ids.
 */
export function walkable(plan: SearchPlan, need: number): boolean {
  const part = manyIndexedMatches(plan);
  if (!part || !part.terms.every(caseless)) return false;
  const expected = (need * part.lastId) / part.matches;
  if (part.index === 'opinions_grams') {
    if (part.terms.some((term) => NOT_FTS5_LETTERS.test(term))) return false;
    if (expected * GRAMS_WALK_RATIO > estimatedMatches(part)) return false;
  }
  return expected <= WALK_EXPECTED_MAX;
}

/** How many of the newest opinions a walk reads at most before giving up (then the matches are materialised). */
export function walkBudget(plan: SearchPlan, need: number): number {
  const [part] = plan.parts;
  return Math.max(2_000, Math.ceil((4 * need * part.lastId) / part.matches));
}

/** Each term in the body, the name or the tracking number of `o`, as it is (caseless terms: see walkable). */
function textHolds(terms: string[]): RawBuilder<unknown> {
  return sql.join(
    terms.map((term) => sql`(instr(o.body, ${term}) > 0 or instr(coalesce(o.name, ''), ${term}) > 0 or instr(o.tracking_number, ${term}) > 0)`),
    sql` and `,
  );
}

/** Opinions not indexed yet (the queue holds a second's worth), matched by their text. */
function queuedMatches(part: IndexPart): RawBuilder<unknown> {
  return sql`select t.id from opinions t where t.id in (select opinion_id from opinions_search_queue)
      and ${sql.join(part.terms.map((term) => textMatch(term, 't')), sql` and `)}`;
}

/**
 * Matches read in the first round of reading them newest first, for a page
 * whose end is the `need`-th: a few times the page, as the filters may keep
 * only some; each round after reads twice as many as the one before.
 */
export function newestFirstChunk(need: number): number {
  return Math.max(200, 4 * need);
}
/** Rounds before giving up (15 first rounds' worth of matches read at most). */
export const NEWEST_FIRST_ROUNDS = 4;

/**
 * Matches (estimated from their density among the ids) from which reading
 * the newest for their dates costs less than materialising them all: with
 * 8,000 newest opinions on another subject (bench/profile-staff.ts, whole
 * inbox pages with their counts), at 100,000 困っています (19,000 matches)
 * 12–13 → 9 ms; at a million the 50,000-match terms 12–19 → 6–10 ms and
 * 困っています (180,000) 56–86 → 8–13 ms. Fewer, and the lookup wins.
 */
const NEWEST_FIRST_MIN_MATCHES = 10_000;

/**
 * Whether a page may be found by reading the matches newest id first
 * (inbox.server.ts, newestMatchesPage): one index part on SQLite, with many
 * matches in all. Unlike the walk, this reads the index's own matches, so any
 * term will do, whatever its case.
 */
export function newestFirst(plan: SearchPlan): boolean {
  const part = manyIndexedMatches(plan);
  return part !== null && estimatedMatches(part) >= NEWEST_FIRST_MIN_MATCHES;
}

/** Up to `limit` ids of the (single) part's indexed matches below `below` (all when null), the largest first. */
export async function indexedMatchesBelow(db: DB, plan: SearchPlan, below: number | null, limit: number): Promise<number[]> {
  const [part] = plan.parts;
  const index = sql.table(part.index);
  const under = below === null ? sql`` : sql` and rowid < ${below}`;
  const found = await sql<{ rowid: number }>`select rowid from ${index} where ${index} match ${part.match}${under}
    order by rowid desc limit ${limit}`.execute(db);
  return found.rows.map((r) => Number(r.rowid));
}

/** `o` is one of `ids` (indexed matches read) or, with `queued`, an opinion not indexed yet that matches. */
export function amongMatches(plan: SearchPlan, ids: number[], queued: boolean): RawBuilder<SqlBool> {
  const read = sql`select value from json_each(${JSON.stringify(ids)})`;
  return queued ? sql<SqlBool>`o.id in (${read} union all ${queuedMatches(plan.parts[0])})` : sql<SqlBool>`o.id in (${read})`;
}

/**
 * The search's conditions over `opinions as o`. With `countCap`, each index
 * lookup stops after that many matches (the counts are then at least the
 * numbers found). With `walk` (see walkable), the text of each opinion read.
 */
export function searchConditions(plan: SearchPlan, options: { countCap?: number; walk?: boolean } = {}): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  if (options.walk && options.countCap === undefined) return [textHolds(plan.parts[0].terms)];
  for (const part of plan.parts) {
    if (part.index === 'pg_trgm') {
      // Within a cap, the matches are found first, as the SQLite indexes give them.
      conditions.push(
        options.countCap === undefined
          ? allTerms(part.terms, 'o')
          : sql`o.id in (select t.id from opinions t where ${allTerms(part.terms, 't')} limit ${options.countCap})`,
      );
      continue;
    }
    const limit = options.countCap === undefined ? sql`` : sql` limit ${options.countCap}`;
    const ids = sql`select rowid from (select rowid from ${sql.table(part.index)} where ${sql.table(part.index)} match ${part.match}${limit})
      union all ${queuedMatches(part)}`;
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
