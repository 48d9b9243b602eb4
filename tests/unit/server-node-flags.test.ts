// `npm start` and the systemd unit start the server with the same Node flags
// (decision 019: the main thread's heap ceiling), and the bench and the test
// servers read them from `npm start`.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFlagsBeforeServer, serverNodeFlags } from '../../scripts/server-node-flags.mjs';

const ROOT = path.resolve(__dirname, '../..');

describe('the server’s Node flags', () => {
  it('are read from the command that runs server.js, not from another node command before it', () => {
    expect(nodeFlagsBeforeServer('node scripts/ensure-build.mjs && FOO=1 node --max-old-space-size=256 server.js')).toEqual([
      '--max-old-space-size=256',
    ]);
    expect(nodeFlagsBeforeServer('/usr/bin/node server.js')).toEqual([]);
    expect(() => nodeFlagsBeforeServer('node other.js')).toThrow(/server\.js/);
  });

  it('cap the main thread’s heap under npm start', () => {
    expect(serverNodeFlags()).toContain('--max-old-space-size=256');
  });

  it('are the same in the systemd unit', () => {
    const unit = fs.readFileSync(path.join(ROOT, 'deploy/ikenbako@.service'), 'utf8');
    const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1];
    expect(execStart).toBeDefined();
    expect(nodeFlagsBeforeServer(execStart!)).toEqual(serverNodeFlags());
  });
});
