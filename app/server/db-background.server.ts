// The main thread's end of the background writer thread (decision 012).
import { Worker } from 'node:worker_threads';
import { log } from './request-log.server';
import { RESTART_AFTER_FAILED_START_MS } from './request-threads.server';
import { shippedFile } from './shipped-file.server';

/**
 * The background writer thread (db-background.worker.mjs): search indexing
 * and checkpoints, on a connection of its own. Restarted if it ever dies; its
 * work is idempotent (a transaction cut short is rolled back and redone).
 */
export class BackgroundWriter {
  private worker: Worker | null = null;
  private closing = false;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private nextId = 1;
  /** Every (re)start, for tests. */
  starts = 0;

  constructor(
    private readonly file: string,
    private readonly options: { indexEveryMs?: number; checkpointEveryMs?: number; indexBatch?: number; walLimitBytes?: number } = {},
  ) {
    this.start();
  }

  private static workerFile(): URL {
    return shippedFile('db-background.worker.mjs');
  }

  private start(): void {
    this.starts++;
    this.startedAt = performance.now();
    const worker = new Worker(BackgroundWriter.workerFile(), { workerData: { file: this.file, ...this.options } });
    this.worker = worker;
    worker.unref();
    worker.on('message', (m: { id?: number; error?: string }) => {
      if (m.id === undefined && m.error) log('warn', 'background database work failed', { error: m.error });
    });
    worker.on('error', (error) => log('error', 'background writer thread failed', { error: String(error) }));
    worker.on('exit', (code) => {
      if (this.worker !== worker || this.closing) return;
      // One that stops within that long of its start (it cannot open the database,
      // a file is missing) has not started: again later, not in a tight loop that
      // would take a core and fill the log. One that stops later, at once.
      const early = performance.now() - this.startedAt < RESTART_AFTER_FAILED_START_MS;
      log('error', 'background writer thread stopped; restarting it', { code, inMs: early ? RESTART_AFTER_FAILED_START_MS : 0 });
      if (!early) return this.start();
      // Until then, a question for the thread is answered that it is not running.
      this.worker = null;
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (!this.closing) this.start();
      }, RESTART_AFTER_FAILED_START_MS);
      this.restartTimer.unref();
    });
  }

  private ask<T>(message: Record<string, unknown>): Promise<T> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the background writer thread is not running'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onMessage = (m: { id?: number; result?: T; error?: string }) => {
        if (m.id !== id) return;
        done();
        if (m.error !== undefined) reject(new Error(m.error));
        else resolve(m.result as T);
      };
      const onExit = () => {
        done();
        reject(new Error('the background writer thread stopped'));
      };
      const done = () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      worker.postMessage({ id, ...message });
    });
  }

  /** Indexes every queued opinion now; resolves with how many (tests, tools). */
  indexNow(): Promise<number> {
    return this.ask({ indexNow: true });
  }

  /** One checkpoint now: PASSIVE, or TRUNCATE once the WAL is past its limit (64 MB). */
  checkpoint(): Promise<{ busy: number; log: number; checkpointed: number; truncated: boolean }> {
    return this.ask({ checkpoint: true });
  }

  /** For tests: ends the thread as a crash would. */
  async crashForTest(): Promise<void> {
    await this.worker?.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    try {
      await this.ask({ close: true });
    } catch {
      // already gone
    }
    this.worker = null;
    await worker.terminate();
  }
}
