// The image child (docs/decisions/019-memory.md, amendment): a process of its
// own, forked by image-child.server.ts, that re-encodes uploaded images with
// sharp so that libvips' buffers are never the server's memory. It exits when
// the server lets it go (idle, or after its share of jobs), and when the
// server goes away (the IPC channel closes), so what libvips kept in glibc's
// arenas goes back to the system with it.
//
// Plain JavaScript on purpose, like request-thread.worker.mjs: the Remix
// compiler bundles app/ into one file, and a process needs a file it can load.
//
// A job names the received file and two fresh temp paths; the re-encoded
// image and its thumbnail are written there (not synced: the server hashes,
// syncs and moves them into place). Answers: { id, width, height, size },
// { id, refused: true } when libvips cannot decode the file, or { id, error }.
import fs from 'node:fs';
import sharp from 'sharp';

// Each upload is a new file: sharp's cache would only hold memory.
sharp.cache(false);

/** Writes bytes to a fresh owner-only file (never over an existing one). */
function writeNew(file, bytes) {
  fs.writeFileSync(file, bytes, { flag: 'wx', mode: 0o600 });
}

async function reencode({ input, output, imagePath, thumbnailPath, maxSide, thumbnailSide, maxInputPixels }) {
  let encoded;
  try {
    // rotate() with no angle turns the image upright by its EXIF orientation;
    // sharp writes no metadata unless asked, so EXIF, GPS and ICC go.
    const pipeline = sharp(input, { failOn: 'error', limitInputPixels: maxInputPixels })
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
    const formatted =
      output === 'image/png' ? pipeline.png({ compressionLevel: 6 }) : output === 'image/webp' ? pipeline.webp({ quality: 85 }) : pipeline.jpeg({ quality: 85 });
    encoded = await formatted.toBuffer({ resolveWithObject: true });
  } catch {
    return { refused: true };
  }
  const thumbnail = await sharp(encoded.data)
    .resize({ width: thumbnailSide, height: thumbnailSide, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 75 })
    .toBuffer();
  writeNew(imagePath, encoded.data);
  writeNew(thumbnailPath, thumbnail);
  return { width: encoded.info.width, height: encoded.info.height, size: encoded.data.length };
}

process.on('message', (job) => {
  reencode(job).then(
    (answer) => process.send?.({ id: job.id, ...answer }),
    (error) => process.send?.({ id: job.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
// The server is gone (or let this child go): nothing more will come.
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
