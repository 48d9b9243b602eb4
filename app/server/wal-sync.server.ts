// fsync of the WAL file off the event loop (decision 012).
import fs from 'node:fs';

/**
 * fsync of the WAL file in the thread pool. `sync()` resolves once an fsync
 * that began after the call has finished: calls made while one runs share the
 * next one.
 */
export class WalSync {
  private handle: fs.promises.FileHandle | null = null;
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly walFile: string) {}

  sync(): Promise<void> {
    if (this.next) return this.next;
    if (!this.running) {
      this.running = this.fsync().finally(() => (this.running = null));
      return this.running;
    }
    this.next = this.running.catch(() => undefined).then(() => {
      this.next = null;
      return this.sync();
    });
    return this.next;
  }

  private async fsync(): Promise<void> {
    if (!this.handle) {
      try {
        // Kept open: the WAL file is never replaced while a connection has it open.
        this.handle = await fs.promises.open(this.walFile, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // no WAL: nothing to sync
        throw error;
      }
    }
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.next?.catch(() => undefined);
    await this.handle?.close();
    this.handle = null;
  }
}
