// The rendered HTML reaches the response as React wrote it, less the NUL bytes
// React 18 leaves in split characters, and what is written in one turn of the
// event loop goes on as one chunk (one flush of the compression stream).
import { describe, expect, it } from 'vitest';
import { coalescedWithoutNul } from '~/server/html-stream.server';

function collect(stream: ReturnType<typeof coalescedWithoutNul>): Buffer[] {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return chunks;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('coalescedWithoutNul', () => {
  it('passes one turn of writes on as one chunk, the next turn as another', async () => {
    const stream = coalescedWithoutNul();
    const chunks = collect(stream);
    for (const part of ['<p>駐車', '場の', '案内</p>']) stream.write(Buffer.from(part));
    await turn();
    await turn();
    stream.write(Buffer.from('<p>二つ目</p>'));
    stream.end();
    await new Promise((resolve) => stream.on('end', resolve));
    expect(chunks.map((c) => c.toString())).toEqual(['<p>駐車場の案内</p>', '<p>二つ目</p>']);
  });

  it('drops NUL bytes, wherever a chunk boundary left them', async () => {
    const stream = coalescedWithoutNul();
    const chunks = collect(stream);
    const text = Buffer.from('<p>意見箱</p>');
    stream.write(Buffer.concat([text.subarray(0, 5), Buffer.from([0, 0]), text.subarray(5)]));
    stream.write(Buffer.from([0]));
    stream.end(Buffer.from('<br>'));
    await new Promise((resolve) => stream.on('end', resolve));
    expect(Buffer.concat(chunks).toString()).toBe('<p>意見箱</p><br>');
  });
});
