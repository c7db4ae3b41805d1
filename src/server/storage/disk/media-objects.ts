import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { checkMediaId } from '../../../protocol/index.js';
import type { MediaObjects, MediaWriter } from '../types.js';

/** Suffix of files still being written; never a media id (ids have no dot). */
const PARTIAL_SUFFIX = '.partial';

/**
 * Media bytes as files in one directory, named by media id and nothing else: user file names
 * never reach the file system, so there is no path to traverse and no name to collide.
 *
 * A write goes to a hidden temp file in the same directory (same file system, so the rename is
 * atomic), is fsynced, then renamed to its id and the directory fsynced: after `commit()` the file
 * survives power loss, before it the id does not exist. A crash leaves at most a `.partial` file,
 * removed by `removeIncomplete()` at a later start.
 *
 * Several nodes may share the directory (one machine, or an NFS/EFS mount): names are random ids
 * with a random temp suffix, so writers never collide, and deletes tolerate files already gone.
 */
export function createDiskMediaObjects(dir: string): MediaObjects {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pathOf = (mediaId: string) => {
    // Ids come from the server, but this is the last line before the file system: check again.
    const invalid = checkMediaId(mediaId);
    if (invalid) throw invalid;
    return join(dir, mediaId);
  };

  return {
    async create(mediaId) {
      const final = pathOf(mediaId);
      const temp = join(dir, `.${mediaId}.${randomBytes(6).toString('hex')}${PARTIAL_SUFFIX}`);
      const stream = createWriteStream(temp, { flags: 'wx', mode: 0o600, flush: true });
      // Opening fails here (disk full, permissions), not halfway through someone's upload.
      await new Promise<void>((resolve, reject) => {
        stream.once('ready', resolve);
        stream.once('error', reject);
      });
      return new DiskWriter(stream, temp, final, dir);
    },
    async read(mediaId, range) {
      const handle = await open(pathOf(mediaId), 'r');
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },
    async delete(mediaId) {
      await unlink(pathOf(mediaId)).catch(ignoreMissing);
    },
    async removeIncomplete(writtenBefore) {
      let removed = 0;
      for (const name of await readdir(dir)) {
        if (!name.endsWith(PARTIAL_SUFFIX) || !(await writtenEarlier(join(dir, name), writtenBefore))) continue;
        await unlink(join(dir, name)).catch(ignoreMissing);
        removed += 1;
      }
      return removed;
    },
    async *list(writtenBefore) {
      for (const name of await readdir(dir)) {
        if (!checkMediaId(name) && (await writtenEarlier(join(dir, name), writtenBefore))) yield name;
      }
    },
  };
}

class DiskWriter implements MediaWriter {
  #done = false;

  constructor(
    readonly stream: WriteStream,
    private readonly temp: string,
    private readonly final: string,
    private readonly dir: string,
  ) {}

  async commit(): Promise<void> {
    if (this.#done) throw new Error('media writer already finished');
    this.#done = true;
    try {
      if (!this.stream.writableFinished) throw new Error('commit() before the stream finished');
      // `flush: true` makes the stream fsync before it closes: after 'close' the bytes are on disk.
      await closed(this.stream);
      if (this.stream.errored) throw this.stream.errored;
      await rename(this.temp, this.final);
    } catch (error) {
      await this.#discard();
      throw error;
    }
    await syncDirectory(this.dir);
  }

  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.#discard();
  }

  async #discard(): Promise<void> {
    this.stream.destroy();
    await closed(this.stream);
    await unlink(this.temp).catch(ignoreMissing);
  }
}

/** Resolves once the stream released its file descriptor, whether it finished or failed. */
function closed(stream: WriteStream): Promise<void> {
  return stream.closed ? Promise.resolve() : new Promise((resolve) => stream.once('close', () => resolve()));
}

/** Makes a rename durable. Not every platform can open a directory for fsync; there it is skipped. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM on Windows: the rename is still atomic, only its durability is the OS's call.
  } finally {
    await handle?.close();
  }
}

/**
 * Whether the file's bytes were last modified before `time`. mtime, not ctime: a rename (commit)
 * changes ctime but not mtime, and mtime moves with every write of an upload in progress. A file
 * another node deleted meanwhile is not "earlier" (there is nothing left to delete).
 */
async function writtenEarlier(path: string, time: number): Promise<boolean> {
  try {
    return (await stat(path)).mtimeMs < time;
  } catch (error) {
    ignoreMissing(error as NodeJS.ErrnoException);
    return false;
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
