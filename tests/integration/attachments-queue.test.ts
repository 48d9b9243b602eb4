// Photos sent at once take turns for the image work (decision 019: at most
// IMAGE_JOBS re-encodings at a time): every one still comes out re-encoded,
// without its EXIF, and nobody's post is lost or left waiting forever.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { IMAGE_JOBS } from '~/server/attachment-content.server';
import { file, jpegWithGps, tempFiles } from '../helpers/attachments';
import { tempDir } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';

const SLUG = 'xiuzhou-inspection-2023';
/** More than can be re-encoded at once, so that some wait their turn. */
const PHOTOS = IMAGE_JOBS * 3;

let server: TestServer;
let db: DB;
let uploadDir: string;

beforeAll(async () => {
  uploadDir = path.join(tempDir('ikenbako-att-queue-'), 'uploads');
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '100', UPLOAD_DIR: uploadDir });
  db = openDatabase(server.databasePath).db;
});

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

function opinionForm(body: string, photo: File): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries({ section: '4', item: '', consent: 'on', body })) form.append(k, v);
  form.append('attachments', photo);
  return form;
}

describe('photos sent at once', () => {
  it(`stores all ${PHOTOS} photos re-encoded without EXIF, however many wait for the image work`, async () => {
    const run = Date.now();
    const photos = await Promise.all(Array.from({ length: PHOTOS }, (_, i) => jpegWithGps({ r: 20 + i * 30, g: 90, b: 160 - i * 10 })));
    const bodies = photos.map((_, i) => `写真を添えて送ります。歩道の段差が危険です。同時送信 ${run}-${i}`);
    const answers = await Promise.all(
      photos.map((photo, i) =>
        fetch(`${server.url}/reports/${SLUG}/opinions`, {
          method: 'POST',
          redirect: 'manual',
          headers: { Origin: server.url },
          body: opinionForm(bodies[i], file(photo, `IMG_${i}.jpg`, 'image/jpeg')),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(photos.map(() => 303));

    const rows = await db
      .selectFrom('opinions')
      .innerJoin('attachments', 'attachments.opinion_id', 'opinions.id')
      .select(['opinions.body', 'attachments.name', 'attachments.sha256', 'attachments.thumbnail_sha256', 'attachments.width'])
      .where('opinions.body', 'in', bodies)
      .execute();
    expect(rows.map((r) => r.body).sort()).toEqual([...bodies].sort());
    // Each photo is its own colour: its own stored file.
    expect(new Set(rows.map((r) => r.sha256)).size).toBe(PHOTOS);
    for (const row of rows) {
      const stored = fs.readFileSync(path.join(uploadDir, row.sha256.slice(0, 2), row.sha256));
      const meta = await sharp(stored).metadata();
      expect(meta.exif, `${row.name}: EXIF removed`).toBeUndefined();
      expect(meta.width).toBe(2560);
      expect(row.width).toBe(2560);
      expect(row.thumbnail_sha256).not.toBeNull();
    }
    expect(tempFiles(uploadDir)).toEqual([]);
  });
});
