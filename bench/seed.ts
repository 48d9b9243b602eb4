// Fills a migrated database (with the bundled notice imported) with realistic
// opinions and published replies, fast: raw prepared statements in one
// transaction, no journal while filling, the FTS triggers and the opinions'
// secondary indexes set aside and built once at the end, and the grams index
// built by a worker thread on the other core while this one does the rest.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import { searchIndexLiftStatements } from '../db/search-index-levels';

export type SeedOptions = { opinions: number; replies: number; seed?: number };
export type SeedResult = {
  opinions: number;
  replies: number;
  ms: number;
  sections: number[];
  /**
   * Milliseconds per phase: rows, indexes, trigram (the FTS rebuild), counts (the kept counts),
   * grams (waiting for the grams worker, then copying its index in), lift (the trigram index into
   * one segment, off level 0), fts (the rest), commit, analyze; and gramsWorker, the worker's own
   * time from its first batch, spent beside the phases before "grams".
   */
  phases: Record<string, number>;
};

/** Small seeded PRNG (mulberry32): the same seed gives the same data set. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const weighted = <T>(pairs: ReadonlyArray<readonly [T, number]>): T => {
    const total = pairs.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [v, w] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return pairs[pairs.length - 1][0];
  };
  return { next, int, pick, weighted };
}

// Everyday concerns residents raise; the staff-search queries in run.ts use them.
export const TOPICS = [
  '駐車場', '道路', '幼稚園', '医療', '公園', 'ゴミ', '騒音', '街灯', '歩道', '交通渋滞',
  'バス路線', '下水道', '高齢者', '子育て', '図書館', '緑地', '防犯カメラ', '雇用', '住宅', '学校',
  '農地', '河川', '文化財', '衛生室', '埠頭', '工事', '補助金', '手続き', '窓口', 'デジタル化',
] as const;

const CONCERNS = [
  'の整備を早めてほしいです',
  'について説明が足りないと感じます',
  'の状況を定期的に公表してください',
  'の予算の使い道を知りたいです',
  'に関する相談窓口を増やしてください',
  'が不足していて困っています',
  'の改善は評価しますが、まだ十分ではありません',
  'について住民の意見を聞く場を設けてください',
];
const OPENINGS = ['', '近所に住む者です。', '毎日通勤で通っています。', '子どもが二人います。', '以前にも電話で伝えましたが、', '通報を読みました。'];
const CLOSINGS = ['', 'よろしくお願いします。', 'ご検討ください。', '回答をお待ちしています。', '引き続き注視しています。'];
const SURNAMES = ['王', '李', '張', '劉', '陳', '楊', '趙', '黄', '周', '呉', '徐', '孫', '朱', '馬', '胡'];
const GIVEN = ['偉', '芳', '娜', '敏', '静', '麗', '強', '磊', '軍', '洋', '勇', '艶', '傑', '娟', '濤'];
const REPLY_LINES = [
  'ご意見ありがとうございます。担当部署で確認し、',
  '頂いたご指摘を踏まえ、',
  '関係機関と協議のうえ、',
];
const REPLY_ACTIONS = ['年内に対応方針を公表します。', '来年度の計画に反映します。', '現地調査を実施しました。', '改善措置を進めています。'];

/** Bytes of pending terms FTS5 keeps in memory before writing a segment: while seeding, and its default. */
const SEED_HASH_SIZE = 64 * 1024 * 1024;
const FTS_DEFAULT_HASH_SIZE = 1024 * 1024;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function crockford(n: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = CROCKFORD[n % 32] + out;
    n = Math.floor(n / 32);
  }
  return out;
}

/** Sentences of the notice, so that opinions quote what they comment on. */
function phrasesOf(text: string): string[] {
  return text
    .split(/[。\n]/)
    .map((s) => s.replace(/^[（(][一二三四五六七八九十]+[）)]/, '').trim())
    .filter((s) => s.length >= 8 && s.length <= 80);
}

/**
 * What the opinions' triggers keep while they are set aside, but the grams
 * index (GramsBuilder): the per-status, per-section and per-day counts
 * (migrations 2026-12-02-0003, 2026-12-06-0002); the search queue stays empty,
 * everything being indexed.
 */
function buildKeptCounts(sqlite: SQLite.Database): void {
  sqlite.exec(`delete from opinions_search_queue`);
  sqlite.exec(`delete from opinion_counts`);
  sqlite.exec(`insert into opinion_counts(status, due_day, n) select status, substr(due_at, 1, 10), count(*) from opinions group by 1, 2`);
  sqlite.exec(`delete from opinion_section_counts`);
  sqlite.exec(`insert into opinion_section_counts(report_id, section_number, n) select report_id, section_number, count(*) from opinions group by 1, 2`);
  sqlite.exec(`delete from opinion_day_counts`);
  sqlite.exec(`insert into opinion_day_counts(day, channel, n) select date(received_at, '+8 hours'), channel, count(*) from opinions group by 1, 2`);
}

/** The grams index's own tables (FTS5's shadow tables of a contentless table). */
const GRAMS_TABLES = ['opinions_grams_data', 'opinions_grams_idx', 'opinions_grams_docsize', 'opinions_grams_config'];
const GRAMS_SCHEMA = 'seed_grams';
const GRAMS_WAIT_MS = 30 * 60_000;

/**
 * The grams index built in bench/seed-grams.worker.mjs, in a file of its own
 * attached to the seed's connection: `add` hands it each opinion as stored,
 * `copyInto` (inside the seed's transaction) waits for it and replaces the
 * bench database's empty index with it, table by table — the same DDL on the
 * same SQLite, so the same FTS5 index. The seed's connection never reads the
 * grams index before that, so FTS5 holds nothing of it in memory to go stale.
 */
class GramsBuilder {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ikenbako-seed-grams-'));
  /** [0]: 0 building, 1 built, 2 failed; [1]: the worker's milliseconds from its first batch. */
  private readonly state = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;
  private batch: Array<[number, string, string | null, string]> = [];

  constructor(private readonly sqlite: SQLite.Database) {
    const file = path.join(this.dir, 'grams.db');
    const ddl = sqlite.prepare(`select sql from sqlite_master where name = 'opinions_grams'`).pluck().get() as string;
    this.worker = new Worker(new URL('./seed-grams.worker.mjs', import.meta.url), {
      workerData: {
        file,
        ddl,
        lift: searchIndexLiftStatements(['opinions_grams']),
        hashSize: SEED_HASH_SIZE,
        defaultHashSize: FTS_DEFAULT_HASH_SIZE,
        state: this.state,
      },
    });
    this.worker.unref();
    // ATTACH cannot run inside a transaction: attached now, read only once the worker is done.
    sqlite.prepare(`attach database ? as ${GRAMS_SCHEMA}`).run(file);
  }

  add(id: number, body: string, name: string | null, tracking: string): void {
    this.batch.push([id, body, name, tracking]);
    if (this.batch.length >= 5_000) this.flush();
  }

  private flush(): void {
    if (this.batch.length > 0) this.worker.postMessage(this.batch);
    this.batch = [];
  }

  /** No more opinions: the worker indexes the last ones and lifts its index. */
  end(): void {
    this.flush();
    this.worker.postMessage(null);
  }

  /** Waits for the worker (the thread blocks: the seed is synchronous) and copies its index in; the worker's milliseconds. */
  copyInto(): number {
    // A worker that died without a word (out of memory) cannot say so to a thread
    // blocked here: give up after far longer than a million opinions take (~70 s).
    const deadline = Date.now() + GRAMS_WAIT_MS;
    while (Atomics.load(this.state, 0) === 0 && Date.now() < deadline) Atomics.wait(this.state, 0, 0, 1_000);
    if (Atomics.load(this.state, 0) !== 1) throw new Error('seed: the grams worker failed or did not finish (its error, if any, is above)');
    // FTS5's own tables are written only by FTS5 in better-sqlite3's defensive mode.
    this.sqlite.unsafeMode(true);
    try {
      for (const table of GRAMS_TABLES) {
        this.sqlite.exec(`delete from main.${table}`);
        this.sqlite.exec(`insert into main.${table} select * from ${GRAMS_SCHEMA}.${table}`);
      }
    } finally {
      this.sqlite.unsafeMode(false);
    }
    return Atomics.load(this.state, 1);
  }

  /** After the transaction: detaches and removes the worker's file. */
  close(): void {
    void this.worker.terminate();
    this.sqlite.exec(`detach database ${GRAMS_SCHEMA}`);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export function seedDatabase(sqlite: SQLite.Database, options: SeedOptions): SeedResult {
  const started = Date.now();
  const rnd = createRandom(options.seed ?? 20231101);
  const report = sqlite.prepare('select id from reports order by id limit 1').get() as { id: number } | undefined;
  if (!report) throw new Error('seed: import the notice first');
  const rows = sqlite
    .prepare(
      `select s.number as section, i.number as item, i.heading, i.body
       from sections s
       join report_revisions rr on rr.id = s.revision_id and rr.report_id = ?
       left join items i on i.section_id = s.id
       where rr.revision_no = (select max(revision_no) from report_revisions where report_id = ?)`,
    )
    .all(report.id, report.id) as Array<{ section: number; item: number | null; heading: string | null; body: string | null }>;
  const itemsBySection = new Map<number, number[]>();
  const phrasesBySection = new Map<number, string[]>();
  for (const r of rows) {
    if (!itemsBySection.has(r.section)) itemsBySection.set(r.section, []);
    if (!phrasesBySection.has(r.section)) phrasesBySection.set(r.section, []);
    if (r.item !== null) itemsBySection.get(r.section)!.push(r.item);
    phrasesBySection.get(r.section)!.push(...phrasesOf(`${r.heading ?? ''}。${r.body ?? ''}`));
  }
  const sections = [...itemsBySection.keys()].sort((a, b) => a - b);
  const allPhrases = [...phrasesBySection.values()].flat();
  // Earlier sections draw more opinions, and the notice as a whole (0) a fair share.
  const sectionWeights = [[0, 8] as const, ...sections.map((s) => [s, Math.max(2, 16 - s)] as const)];

  const now = Date.now();
  const sixMonths = 183 * 24 * 3600 * 1000;

  // Set the FTS triggers aside: one 'rebuild' is much faster than a trigger run
  // per row. Secondary indexes too: sorting once beats a million B-tree inserts.
  // (The unique ones SQLite made for the columns stay; they have no SQL.)
  const triggers = sqlite
    .prepare(`select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'opinions'`)
    .all() as Array<{ name: string; sql: string }>;
  const indexes = sqlite
    .prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = 'opinions' and sql is not null`)
    .all() as Array<{ name: string; sql: string }>;
  // A throwaway database: no rollback journal, no fsync, a big page cache.
  const journalMode = sqlite.pragma('journal_mode', { simple: true }) as string;
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('cache_size = -524288');
  const phases: Record<string, number> = {};
  let phaseStart = Date.now();
  const phase = (name: string) => {
    phases[name] = Date.now() - phaseStart;
    phaseStart = Date.now();
  };
  // The client hash has 20,000 distinct values: hash each once.
  const clientHashes = Array.from({ length: 20000 }, (_, n) =>
    crypto.createHash('sha256').update(String(n)).digest('hex').slice(0, 32),
  );

  const insertUser = sqlite.prepare(
    `insert into users (email, display_name, role, password_hash, active, created_at) values (?, ?, 'moderator', '!', 1, ?)`,
  );
  const insertOpinion = sqlite.prepare(
    `insert into opinions (tracking_number, receipt_token, report_id, section_number, item_number, body, name, email, phone,
       reply_wanted, public_ok, consent, channel, status, received_at, due_at, client_hash, user_agent, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertReply = sqlite.prepare(
    `insert into official_replies (opinion_id, body, show_opinion, redacted_opinion, status, published_at, updated_at,
       created_by_id, updated_by_id, created_at) values (?, ?, ?, ?, 'published', ?, ?, ?, ?, ?)`,
  );
  const insertRevision = sqlite.prepare(
    `insert into official_reply_revisions (reply_id, body, show_opinion, redacted_opinion, created_by_id, created_at)
     values (?, ?, ?, ?, ?, ?)`,
  );

  const answered: Array<{ id: number; body: string; receivedAt: number }> = [];
  const grams = new GramsBuilder(sqlite);
  try {
    sqlite.transaction(() => {
      for (const t of triggers) sqlite.exec(`drop trigger ${t.name}`);
      for (const i of indexes) sqlite.exec(`drop index ${i.name}`);
      const author = insertUser.run('replies@bench.invalid', '回答担当(ベンチ)', new Date(now - sixMonths).toISOString());
      const authorId = Number(author.lastInsertRowid);
      const tokenBytes = crypto.randomBytes(options.opinions * 18);

      for (let i = 0; i < options.opinions; i++) {
        const section = rnd.weighted(sectionWeights);
        const items = itemsBySection.get(section) ?? [];
        const item = section !== 0 && items.length && rnd.next() < 0.75 ? rnd.pick(items) : null;
        const phrases = phrasesBySection.get(section)?.length ? phrasesBySection.get(section)! : allPhrases;
        const topic = rnd.pick(TOPICS);
        const topic2 = rnd.pick(TOPICS);
        const body =
          rnd.pick(OPENINGS) +
          `「${rnd.pick(phrases)}」とありますが、${topic}${rnd.pick(CONCERNS)}。` +
          (rnd.next() < 0.5 ? `また、${topic2}${rnd.pick(CONCERNS)}。` : '') +
          (rnd.next() < 0.3 ? `${rnd.pick(allPhrases)}という点も気になります。` : '') +
          rnd.pick(CLOSINGS);
        const channel = rnd.weighted([['web', 80], ['phone', 10], ['post', 5], ['visit', 3], ['api', 2]] as const);
        const status = rnd.weighted([
          ['new', 30], ['triaged', 20], ['in_progress', 20], ['answered', 15], ['closed', 12], ['out_of_scope', 2], ['duplicate', 1],
        ] as const);
        const named = rnd.next() < 0.4;
        const name = named ? rnd.pick(SURNAMES) + rnd.pick(GIVEN) + (rnd.next() < 0.5 ? rnd.pick(GIVEN) : '') : null;
        const email = named && rnd.next() < 0.5 ? `resident${i}@example.cn` : null;
        const phone = named && !email && rnd.next() < 0.5 ? `0573-${String(8000000 + i).padStart(7, '0')}` : null;
        const receivedAt = now - Math.floor(rnd.next() * sixMonths);
        const received = new Date(receivedAt).toISOString();
        const due = new Date(receivedAt + 21 * 24 * 3600 * 1000).toISOString();
        const token = tokenBytes.subarray(i * 18, i * 18 + 18).toString('base64url');
        // Unique by construction: the low bits carry the row number.
        const tracking = `XZ-2023-${crockford(i, 4)}-${crockford(rnd.int(32 ** 4), 4)}`;
        const info = insertOpinion.run(
          tracking, token, report.id, section, item, body, name, email, phone,
          email || phone ? 1 : 0, rnd.next() < 0.5 ? 1 : 0, 1, channel, status, received, due,
          channel === 'web' || channel === 'api' ? clientHashes[rnd.int(20000)] : null,
          channel === 'web' ? 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36' : null,
          received, received,
        );
        const id = Number(info.lastInsertRowid);
        grams.add(id, body, name, tracking);
        if ((status === 'answered' || status === 'closed') && answered.length < options.replies * 3) {
          answered.push({ id, body, receivedAt });
        }
      }
      grams.end();

      const replyCount = Math.min(options.replies, answered.length);
      for (let i = 0; i < replyCount; i++) {
        const o = answered[Math.floor((i * answered.length) / replyCount)];
        const at = new Date(o.receivedAt + (3 + rnd.int(20)) * 24 * 3600 * 1000).toISOString();
        const body = rnd.pick(REPLY_LINES) + rnd.pick(REPLY_ACTIONS);
        const show = rnd.next() < 0.6 ? 1 : 0;
        const redacted = show ? o.body : null;
        const reply = insertReply.run(o.id, body, show, redacted, at, at, authorId, authorId, at);
        insertRevision.run(Number(reply.lastInsertRowid), body, show, redacted, authorId, at);
      }

      phase('rows');
      for (const i of indexes) sqlite.exec(i.sql);
      phase('indexes');
      // FTS5 writes a segment each time its pending terms pass 'hashsize' (1 MB by
      // default) and merges them as it goes: in 64 MB pieces it writes and merges far
      // fewer (a quarter off the grams index's inserts, which the worker sets likewise).
      // Set back to the default after.
      sqlite.exec(`insert into opinions_fts(opinions_fts, rank) values('hashsize', ${SEED_HASH_SIZE})`);
      sqlite.exec(`insert into opinions_fts(opinions_fts) values('rebuild')`);
      phase('trigram');
      buildKeptCounts(sqlite);
      phase('counts');
      phases.gramsWorker = grams.copyInto();
      phase('grams');
      // A rebuild and a bulk insert leave big segments on FTS5's first level, where
      // the first merge of the small segments later writes add takes them in: at a
      // million, commits then held the write lock for 4–9 s, and under a flood a
      // crisis merge did so every ~16 s (decision 005, amended). Each index is
      // merged into one segment lifted well above level 0, as migration
      // 2026-12-07-0001 leaves a database that was upgraded (the worker lifted the grams index).
      for (const statement of searchIndexLiftStatements(['opinions_fts'])) sqlite.exec(statement);
      phase('lift');
      sqlite.exec(`insert into opinions_fts(opinions_fts, rank) values('hashsize', ${FTS_DEFAULT_HASH_SIZE})`);
      for (const t of triggers) sqlite.exec(t.sql);
      phase('fts');
    })();
  } finally {
    grams.close();
  }
  // With no journal, the commit is where the pages reach the file.
  phase('commit');
  // Sampled statistics, and none for the FTS index's own tables (the planner never uses them).
  sqlite.pragma('analysis_limit = 1000');
  const tables = sqlite
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'opinions_fts%' and name not like 'sqlite_%'`)
    .pluck()
    .all() as string[];
  for (const t of tables) sqlite.exec(`analyze "${t}"`);
  phase('analyze');
  sqlite.pragma(`journal_mode = ${journalMode}`);
  sqlite.pragma('cache_size = -2000');

  return {
    opinions: options.opinions,
    replies: Math.min(options.replies, answered.length),
    ms: Date.now() - started,
    sections: [0, ...sections],
    phases,
  };
}
