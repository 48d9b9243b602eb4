// The attachments part of the bench: opinions each carrying one ~1 MB photo,
// posted as the no-JavaScript form posts them (multipart/form-data), and a
// baseline that does the same essential work in a bare node:http server.
import fs from 'node:fs';
import sharp from 'sharp';
import { luaString } from './wrk';

export const BOUNDARY = '----ikenbakoBenchBoundary7MA4YWxkTrZu0gW';

/**
 * A 3000×2000 JPEG of about 1 MB (a phone photo's proportions, larger than the
 * 2,560 px the server keeps, so each upload is decoded, resized and
 * re-encoded), with EXIF as a camera writes it.
 */
export async function writeBenchPhoto(file: string): Promise<number> {
  const width = 3000;
  const height = 2000;
  const raw = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let i = 0; i < raw.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = (((i % 3) * 60 + Math.floor(i / (width * 3)) % 200 + ((seed >> 16) % 24)) & 255) as number;
  }
  let quality = 40;
  let bytes: Buffer;
  do {
    bytes = await sharp(raw, { raw: { width, height, channels: 3 } })
      .jpeg({ quality })
      .withExif({ IFD0: { Make: 'BenchCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 45/1 0/1' } })
      .toBuffer();
    quality += 5;
  } while (bytes.length < 1_000_000 && quality <= 100);
  fs.writeFileSync(file, bytes);
  return bytes.length;
}

export const uploadHeaders = (url: string) => ({
  'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
  Origin: new URL(url).origin,
  Accept: 'text/html',
});

/**
 * wrk Lua: every request a different opinion text (no double submission)
 * with the same photo (content-addressed: stored once, re-encoded each time).
 */
export function attachmentLua(slug: string, photoFile: string, sections: number[]): string {
  const field = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const runId = `${process.pid}-${Date.now()}`;
  return `
local f = assert(io.open(${luaString(photoFile)}, "rb"))
local photo = f:read("*a")
f:close()
local sections = { ${sections.join(', ')} }
local n = 0
local tail = ${luaString(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="attachments"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`)} .. photo .. ${luaString(`\r\n--${BOUNDARY}--\r\n`)}
function init(args) codes = {} end
function response(status, headers, body) codes[status] = (codes[status] or 0) + 1 end
function request()
  n = n + 1
  local s = sections[(n % #sections) + 1]
  local head = (${luaString(field('section', '__S__'))}):gsub("__S__", tostring(s))
    .. ${luaString(field('item', ''))}
    .. (${luaString(field('body', '__B__'))}):gsub("__B__", ${luaString(`写真のとおり、歩道の段差が危険です。負荷試験 ${runId}-`)} .. thread_id .. "-" .. n)
    .. ${luaString(field('consent', 'on') + field('publicOk', 'on'))}
  return wrk.format("POST", "/reports/${slug}/opinions", nil, head .. tail)
end
`;
}
