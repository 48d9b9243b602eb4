// The server's end of the image child (image-child.mjs; decision 019,
// amendment). Images are re-encoded by sharp in a child process, so that the
// tens of MB of libvips buffers a photo burst leaves in glibc's arenas are the
// child's, not the server's: the child is let go after `idleMs` without a job
// (and after `maxJobs` jobs), and its memory goes back to the system
// with it. The server never loads sharp. One child at a time takes the jobs
// (attachment-content.server.ts hands it at most IMAGE_JOBS at once); the
// next job after a child is gone starts a new one.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { log } from './request-log.server';
import { shippedFile } from './shipped-file.server';

export type ImageJob = {
  /** The received file. */
  input: string;
  output: 'image/jpeg' | 'image/png' | 'image/webp';
  /** Fresh temp paths the re-encoded image and its JPEG thumbnail are written to. */
  imagePath: string;
  thumbnailPath: string;
  maxSide: number;
  thumbnailSide: number;
  maxInputPixels: number;
};

/** `refused`: libvips could not decode the file. */
export type ImageAnswer = { refused: true } | { width: number; height: number; size: number };

/** The child died (a crash, a kill, the OOM killer) or was killed for taking too long, with the job in hand. */
export class ImageChildLost extends Error {}

/** A job that takes longer than this is taken for a hang: the child is killed. */
const JOB_TIMEOUT_MS = 60_000;

/**
 * The server's malloc settings are for its own memory. The child runs with two
 * malloc arenas (its peak during a photo burst 290–305 → 227–236 MB at the same
 * photo rate, decision 019) and glibc's own mmap threshold (a fixed one cost a
 * third of the photo rate).
 */
function childEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MALLOC_'))) as NodeJS.ProcessEnv;
  return { ...env, MALLOC_ARENA_MAX: '2' };
}

type Pending = { resolve: (answer: ImageAnswer) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };
type ChildMessage = { ready?: true; id?: number; error?: string } & Partial<{ refused: true; width: number; height: number; size: number }>;

class ImageChild {
  readonly proc: ChildProcess;
  readonly exited: Promise<void>;
  /** Jobs handed to this child, for its retirement. */
  jobs = 0;
  private readonly pending = new Map<number, Pending>();
  private active = 0;
  private ready: Promise<void>;
  private nextId = 1;
  private gone = false;

  constructor(file: URL, onGone: (child: ImageChild) => void) {
    this.proc = fork(fileURLToPath(file), [], { execArgv: [], env: childEnv(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // Neither keeps the server alive: a job in flight does, by its timer.
    this.proc.unref();
    this.proc.channel?.unref();
    let started: () => void;
    let failed: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    this.ready.catch(() => undefined);
    let isReady = false;
    this.proc.on('message', (m: ChildMessage) => {
      if (m.ready) {
        isReady = true;
        started();
        return;
      }
      const job = m.id === undefined ? undefined : this.pending.get(m.id);
      if (!job) return;
      this.pending.delete(m.id!);
      clearTimeout(job.timer);
      if (m.error !== undefined) job.reject(new Error(`image child: ${m.error}`));
      else if (m.refused) job.resolve({ refused: true });
      else job.resolve({ width: m.width!, height: m.height!, size: m.size! });
    });
    this.exited = new Promise<void>((resolve) => {
      const end = (how: string) => {
        if (this.gone) return;
        this.gone = true;
        // A child that never got ready is the server's fault (sharp missing, no memory to fork), not the file's.
        if (!isReady) failed(new Error(`image child ended before it was ready (${how})`));
        if (this.pending.size) log('warn', 'image child ended with jobs in hand', { how, jobs: this.pending.size });
        for (const job of this.pending.values()) {
          clearTimeout(job.timer);
          job.reject(new ImageChildLost(`image child ended (${how})`));
        }
        this.pending.clear();
        onGone(this);
        resolve();
      };
      this.proc.once('exit', (code, signal) => end(signal ?? `code ${code}`));
      // 'on', not 'once': a second error (a send after the channel closed) must not go unhandled.
      this.proc.on('error', (error) => end(error.message));
    });
  }

  /** Jobs handed over and not answered yet, counted from the call (a job may still be waiting for the child to be ready). */
  get inFlight(): number {
    return this.active;
  }

  async run(job: ImageJob): Promise<ImageAnswer> {
    this.active++;
    try {
      await this.ready;
      if (this.gone) throw new ImageChildLost('image child ended');
      return await this.send(job);
    } finally {
      this.active--;
    }
  }

  private send(job: ImageJob): Promise<ImageAnswer> {
    return new Promise<ImageAnswer>((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        log('warn', 'image job took too long; killing the image child', { ms: JOB_TIMEOUT_MS });
        this.proc.kill('SIGKILL');
      }, JOB_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.proc.send({ id, ...job });
    });
  }

  /** Lets the child go: it exits once the channel closes (SIGKILL if it will not). */
  end(): Promise<void> {
    if (!this.gone) {
      if (this.proc.connected) this.proc.disconnect();
      else this.proc.kill('SIGKILL');
    }
    return this.exited;
  }
}

export class ImageChildren {
  private current: ImageChild | null = null;
  private readonly live = new Set<ImageChild>();
  private idleTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  /**
   * `idleMs`: how long a child may wait for a job before it is let go;
   * `maxJobs`: a child is let go after this many even when never idle, so
   * what libvips keeps cannot grow without end.
   */
  constructor(
    private readonly idleMs: number,
    private readonly maxJobs: number,
    private readonly file: URL = shippedFile('image-child.mjs'),
  ) {}

  async run(job: ImageJob): Promise<ImageAnswer> {
    if (this.stopped) throw new Error('the image children are stopped');
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    // A child that has done its share takes no more; it goes once its last job is answered.
    if (this.current && this.current.jobs >= this.maxJobs) {
      const retired = this.current;
      this.current = null;
      if (retired.inFlight === 0) void retired.end();
    }
    if (!this.current) {
      const child = new ImageChild(this.file, (gone) => {
        this.live.delete(gone);
        if (this.current === gone) this.current = null;
      });
      this.current = child;
      this.live.add(child);
    }
    const child = this.current;
    child.jobs++;
    try {
      return await child.run(job);
    } finally {
      this.settled(child);
    }
  }

  private settled(child: ImageChild): void {
    if (child.inFlight > 0 || this.stopped) return;
    if (child !== this.current) {
      void child.end();
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.current !== child || child.inFlight > 0) return;
      this.current = null;
      void child.end();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** At shutdown (decision 006), after the last request: every child ends. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.current = null;
    await Promise.all([...this.live].map((c) => c.end()));
  }
}
