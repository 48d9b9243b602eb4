// Double submissions: the same content (target, text, name, contacts and
// choices) sent again, from the same form render or from the same client
// within the window, is the first opinion, not a new one (insertOpinion).
import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { preparedQuery } from '~/server/prepared-query.server';
import type { CreateOpinionInput } from './opinions.server';

/** How long the same client's identical opinion counts as sent again (a form token counts for ever). */
export const DEDUPE_WINDOW_MS = 10 * 60 * 1000;

/** What makes two opinions the same for the double-submission check, hashed (opinions.content_key). */
export function opinionContentKey(input: CreateOpinionInput, address: string | null): string {
  const said = [input.reportId, input.sectionNumber, input.itemNumber, input.body, input.name, input.email, input.phone, address, input.publicOk, input.replyWanted];
  return crypto.createHash('sha256').update(JSON.stringify(said)).digest('base64url').slice(0, 22);
}

/** What the double-submission check compares (opinionContentKey), as the opinion stores it. */
export function contentColumns(input: CreateOpinionInput, address: string | null) {
  return {
    report_id: input.reportId,
    section_number: input.sectionNumber,
    item_number: input.itemNumber,
    body: input.body,
    name: input.name,
    email: input.email,
    phone: input.phone,
    address,
    public_ok: input.publicOk ? (1 as const) : (0 as const),
    reply_wanted: input.replyWanted ? (1 as const) : (0 as const),
  };
}

/** The double-submission check's values: the content's columns, and what finds earlier sendings. */
type SameContent = ReturnType<typeof contentColumns> & {
  formToken: string;
  clientHash: string;
  contentKey: string;
  since: string;
};

/**
 * The first opinion with the same content, found by its form token, by the
 * same client's identical opinions in the window, or by either.
 */
function sameContentQuery(db: Kysely<Database>, p: SameContent, by: { token: boolean; client: boolean }) {
  return db
    .selectFrom('opinions')
    .select(['id', 'tracking_number', 'receipt_token'])
    .where((eb) => {
      const either = [];
      if (by.token) either.push(eb('form_token', '=', p.formToken));
      // Through opinions_client_content: only this client's identical opinions are read.
      if (by.client) either.push(eb.and([eb('client_hash', '=', p.clientHash), eb('content_key', '=', p.contentKey), eb('created_at', '>=', p.since)]));
      // The unary + keeps the planner off opinions_section (every opinion
      // about the section): only the form token or the client's identical
      // opinions are looked up, the rest is compared on those few rows.
      return eb.and([
        sql<boolean>`+report_id = ${p.report_id}`,
        sql<boolean>`+section_number = ${p.section_number}`,
        eb('body', '=', p.body),
        sql<boolean>`item_number is not distinct from ${p.item_number}`,
        sql<boolean>`name is not distinct from ${p.name}`,
        sql<boolean>`email is not distinct from ${p.email}`,
        sql<boolean>`phone is not distinct from ${p.phone}`,
        sql<boolean>`address is not distinct from ${p.address}`,
        eb('public_ok', '=', p.public_ok),
        eb('reply_wanted', '=', p.reply_wanted),
        eb.or(either),
      ]);
    })
    .orderBy('id')
    .limit(1);
}

// Asked for every opinion: built once (prepared-query.server.ts).
const findSameContent = {
  byToken: preparedQuery((db, p: SameContent) => sameContentQuery(db, p, { token: true, client: false })),
  byClient: preparedQuery((db, p: SameContent) => sameContentQuery(db, p, { token: false, client: true })),
  byEither: preparedQuery((db, p: SameContent) => sameContentQuery(db, p, { token: true, client: true })),
};
const findFormToken = preparedQuery((db, p: { formToken: string }) => db.selectFrom('opinions').select('id').where('form_token', '=', p.formToken));

/** The first opinion with the same content as `input`, found by its form token or its client's identical opinions within DEDUPE_WINDOW_MS of `now`. */
export async function findDoubleSubmission(
  trx: Kysely<Database>,
  input: CreateOpinionInput,
  { address, contentKey, now }: { address: string | null; contentKey: string; now: Date },
): Promise<{ id: number; tracking_number: string; receipt_token: string } | undefined> {
  const same: SameContent = {
    ...contentColumns(input, address),
    formToken: input.formToken ?? '',
    clientHash: input.clientHash ?? '',
    contentKey,
    since: new Date(now.getTime() - DEDUPE_WINDOW_MS).toISOString(),
  };
  const find = !input.clientHash ? findSameContent.byToken : !input.formToken ? findSameContent.byClient : findSameContent.byEither;
  return (await find(trx, same)).rows[0];
}

/** Whether an opinion already holds this form token (one render's post with other content: a new opinion without it). */
export async function isFormTokenUsed(trx: Kysely<Database>, formToken: string): Promise<boolean> {
  return (await findFormToken(trx, { formToken })).rows.length > 0;
}
