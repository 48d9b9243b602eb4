// Migrations are listed here statically so that they can be bundled into the
// server build (Kysely's FileMigrationProvider reads the folder at run time).
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './2026-11-27-0001-initial';
import * as m0002 from './2026-11-27-0002-opinions-status-due-index';
import * as m0003 from './2026-11-27-0003-fts-automerge';
import * as m0101 from './2026-12-01-0001-opinions-address';
import * as m0104 from './2026-12-01-0004-api-tokens';
import * as m0106 from './2026-12-01-0006-comment-periods';
import * as m0107 from './2026-12-01-0007-opinions-ack-withheld';
import * as m0108 from './2026-12-01-0008-opinions-personal-data-removed';
import * as m0109 from './2026-12-01-0009-office-mail';
import * as m0111 from './2026-12-01-0011-accounts';
import * as m0201 from './2026-12-02-0001-languages';
import * as m0202 from './2026-12-02-0002-attachments';
import * as m0203 from './2026-12-02-0003-deferred-search-index';
import * as m0301 from './2026-12-03-0001-shared-state';
import * as m0401 from './2026-12-04-0001-ack-mailbox-key';
import * as m0501 from './2026-12-05-0001-grams-without-positions';
import * as m0502 from './2026-12-05-0002-opinion-tally-indexes';
import * as m0601 from './2026-12-06-0001-fts-crisismerge';
import * as m0602 from './2026-12-06-0002-opinion-day-counts';
import * as m0701 from './2026-12-07-0001-search-index-levels';

const migrations: Record<string, Migration> = {
  '2026-11-27-0001-initial': m0001,
  '2026-11-27-0002-opinions-status-due-index': m0002,
  '2026-11-27-0003-fts-automerge': m0003,
  '2026-12-01-0001-opinions-address': m0101,
  '2026-12-01-0004-api-tokens': m0104,
  '2026-12-01-0006-comment-periods': m0106,
  '2026-12-01-0007-opinions-ack-withheld': m0107,
  '2026-12-01-0008-opinions-personal-data-removed': m0108,
  '2026-12-01-0009-office-mail': m0109,
  '2026-12-01-0011-accounts': m0111,
  '2026-12-02-0001-languages': m0201,
  '2026-12-02-0002-attachments': m0202,
  '2026-12-02-0003-deferred-search-index': m0203,
  '2026-12-03-0001-shared-state': m0301,
  '2026-12-04-0001-ack-mailbox-key': m0401,
  '2026-12-05-0001-grams-without-positions': m0501,
  '2026-12-05-0002-opinion-tally-indexes': m0502,
  '2026-12-06-0001-fts-crisismerge': m0601,
  '2026-12-06-0002-opinion-day-counts': m0602,
  '2026-12-07-0001-search-index-levels': m0701,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
