// Files for attachment tests, made on the spot: a camera-like JPEG with a GPS
// position and a serial number in its EXIF, a PNG, a small well-formed PDF,
// and the server process's resident memory read from /proc.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** A 3000×2000 JPEG whose EXIF holds a GPS position, a camera and its serial number. */
export async function jpegWithGps(color = { r: 200, g: 80, b: 40 }, width = 3000, height = 2000): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'TC-1', Copyright: 'Tester' },
      IFD2: { BodySerialNumber: 'SN-123456789' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 45/1 12/1', GPSLongitudeRef: 'E', GPSLongitude: '120/1 45/1 30/1' },
    })
    .toBuffer();
}

export async function png(width = 400, height = 300): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 10, g: 120, b: 200, alpha: 0.5 } } })
    .png()
    .toBuffer();
}

/** A one-page PDF with a correct cross-reference table. */
export function pdf(text = 'Scanned letter'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
  ];
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Resident memory of a process in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

/** Every stored file under an upload folder (not its temp folder): relative paths. */
export function storedFiles(uploadDir: string): string[] {
  if (!fs.existsSync(uploadDir)) return [];
  return fs
    .readdirSync(uploadDir)
    .filter((d) => /^[0-9a-f]{2}$/.test(d))
    .flatMap((d) => fs.readdirSync(path.join(uploadDir, d)).map((f) => `${d}/${f}`));
}

export function tempFiles(uploadDir: string): string[] {
  const dir = path.join(uploadDir, 'tmp');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

/** A File for FormData, with whatever name and claimed type a test wants. */
export function file(bytes: Buffer, name: string, type = 'application/octet-stream'): File {
  return new File([new Uint8Array(bytes)], name, { type });
}
