/**
 * The CLI's output folder, written so that nothing is lost and nothing misleads:
 * - the folder is checked before any work (`prepareOutDir`): a path, a folder we can write in,
 *   not on a special filesystem; the previous run's result files are removed first, so they can
 *   never pass for this run's;
 * - each file is written as `<name>.partial` (`OutputFile`: buffered, every write and the close
 *   awaited and checked, so a full disk is an error, not a cut file) and renamed to `<name>` by
 *   `commit` only when it is complete;
 * - a STATUS file says what the folder holds: `running …` while the run goes (still there if the
 *   process was killed), then `complete …`, `interrupted …`, `non-finite …` or `failed …`.
 */
import { constants, type promises as fsp } from 'node:fs';
import { mkdir, open, rename, stat, statfs, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** Exit codes of the CLIs. */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  /** Bad arguments, scenario, output folder, or a run too costly without --yes: nothing was done. */
  usage: 2,
  /** The engine could not start. */
  engine: 3,
  /** The run became non-finite and stopped on its last good state. */
  nonFinite: 4,
  /** A write or close failed (disk full, I/O error). */
  io: 5,
  SIGINT: 130,
  SIGTERM: 143,
} as const;

/** An error for the user: one line, and the exit code it ends the command with. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** The name of the status file in an output folder. */
export const STATUS_FILE = 'STATUS';
const PARTIAL = '.partial';
/** Buffered bytes before a write reaches the file. */
const FLUSH_BYTES = 1 << 18;

/** Filesystems that hold no user files (statfs magic numbers, linux/magic.h). */
const SPECIAL_FS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x73636673, 'securityfs'],
  [0x1cd1, 'devpts'],
  [0xcafe4a11, 'bpf'],
  [0x74726163, 'tracefs'],
  [0x6e736673, 'nsfs'],
  [0x50495045, 'pipefs'],
]);

function code(e: unknown): string {
  return (e as NodeJS.ErrnoException | undefined)?.code ?? 'error';
}

/** `e`'s message on one line, without the stack. */
export function oneLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/\s*\n\s*/g, ' ').slice(0, 500);
}

function shown(path: string): string {
  return JSON.stringify(path.length > 120 ? `${path.slice(0, 120)}…` : path);
}

/** The nearest existing ancestor of `path` (itself when it exists). */
async function existingAncestor(path: string): Promise<string> {
  let p = path;
  for (;;) {
    try {
      await stat(p);
      return p;
    } catch {
      const up = dirname(p);
      if (up === p) return p;
      p = up;
    }
  }
}

/**
 * Checks and creates the output folder `dir` for files `names` (before any work), and removes
 * what a previous run left under those names (and their .partial and STATUS). Throws a CliError
 * (exit 2) naming `flag` and what is wrong. Returns the folder's absolute path.
 */
export async function prepareOutDir(dir: string, names: readonly string[], flag = '--out'): Promise<string> {
  const bad = (why: string): CliError => new CliError(`${flag}: ${why}`, EXIT.usage);
  if (dir.length === 0) throw bad('expected a folder path, got an empty string');
  if (dir.includes('\0')) throw bad('the path contains a NUL character');
  if (dir.length > 4000) throw bad(`the path is ${dir.length} characters long (at most 4000)`);
  const abs = resolve(dir);
  const base = await existingAncestor(abs);
  try {
    const fs = SPECIAL_FS.get(Number((await statfs(base)).type));
    if (fs) throw bad(`${shown(dir)} is on the ${fs} filesystem, which holds no files; choose a folder on a disk`);
  } catch (e) {
    if (e instanceof CliError) throw e;
  }
  try {
    await mkdir(abs, { recursive: true });
  } catch (e) {
    const c = code(e);
    if (c === 'ENOTDIR' || c === 'EEXIST')
      throw bad(`${shown(dir)} is not a folder (it, or a folder on its path, is a file)`);
    if (c === 'ENAMETOOLONG') throw bad(`${shown(dir)}: a name on the path is too long`);
    throw bad(`cannot create the folder ${shown(dir)} (${c}: ${oneLine(e)})`);
  }
  const st = await stat(abs).catch((e: unknown) => {
    throw bad(`cannot read the folder ${shown(dir)} (${code(e)})`);
  });
  if (!st.isDirectory()) throw bad(`${shown(dir)} is not a folder`);
  const probe = join(abs, `.write-test-${process.pid}`);
  try {
    const fh = await open(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NONBLOCK);
    try {
      await fh.write('x');
    } finally {
      await fh.close();
    }
    await unlink(probe);
  } catch (e) {
    await unlink(probe).catch(() => {});
    throw bad(`cannot write in the folder ${shown(dir)} (${code(e)}: ${oneLine(e)})`);
  }
  for (const name of [...names, ...names.map((n) => n + PARTIAL), STATUS_FILE, STATUS_FILE + PARTIAL]) {
    try {
      await unlink(join(abs, name));
    } catch (e) {
      if (code(e) !== 'ENOENT')
        throw bad(`${shown(join(dir, name))} exists and cannot be replaced (${code(e)}: a folder, or not ours)`);
    }
  }
  return abs;
}

/** Opens a fresh file for writing (never follows onto a file that is already there). */
export type OpenFile = (path: string) => Promise<fsp.FileHandle>;
export const openFresh: OpenFile = (path) =>
  open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NONBLOCK);

/** A file written through a buffer; every write and the close are awaited, and fail loudly. */
export class OutputFile {
  private chunks: string[] = [];
  private buffered = 0;
  private closed = false;
  /** Bytes that reached the file. */
  written = 0;

  private constructor(
    readonly path: string,
    private readonly fh: fsp.FileHandle,
  ) {}

  static async create(path: string, openFile: OpenFile = openFresh): Promise<OutputFile> {
    try {
      return new OutputFile(path, await openFile(path));
    } catch (e) {
      throw new CliError(`cannot create ${shown(path)} (${code(e)}: ${oneLine(e)})`, EXIT.io);
    }
  }

  /** Appends `text`; resolves once the buffer is below its limit (the caller's backpressure). */
  async write(text: string): Promise<void> {
    if (this.closed) throw new CliError(`write to ${shown(this.path)} after it was closed`, EXIT.unexpected);
    this.chunks.push(text);
    this.buffered += text.length;
    if (this.buffered >= FLUSH_BYTES) await this.flush();
  }

  /** Writes the buffer out, all of it (a short write continues; an error is a CliError, exit 5). */
  async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const buf = Buffer.from(this.chunks.join(''), 'utf8');
    this.chunks = [];
    this.buffered = 0;
    try {
      let at = 0;
      while (at < buf.length) {
        const { bytesWritten } = await this.fh.write(buf, at, buf.length - at);
        if (bytesWritten <= 0) throw new Error('the write made no progress');
        at += bytesWritten;
      }
      this.written += buf.length;
    } catch (e) {
      throw new CliError(`writing ${shown(this.path)} failed (${code(e)}: ${oneLine(e)})`, EXIT.io);
    }
  }

  /** Flushes, syncs to the disk and closes; any failure is a CliError (exit 5). */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
      try {
        await this.fh.sync();
      } catch (e) {
        // A character device or pipe cannot sync; a disk that cannot is an error.
        if (code(e) !== 'EINVAL' && code(e) !== 'ENOTSUP') throw e;
      }
    } catch (e) {
      await this.abandon();
      throw e instanceof CliError
        ? e
        : new CliError(`writing ${shown(this.path)} failed (${code(e)}: ${oneLine(e)})`, EXIT.io);
    }
    this.closed = true;
    try {
      await this.fh.close();
    } catch (e) {
      throw new CliError(`closing ${shown(this.path)} failed (${code(e)}: ${oneLine(e)})`, EXIT.io);
    }
  }

  /** Closes without caring about the content (after a failure). */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.chunks = [];
    await this.fh.close().catch(() => {});
  }
}

/** The result files of one run in a prepared folder. */
export class RunOutput {
  private readonly files = new Map<string, OutputFile>();

  private constructor(
    readonly dir: string,
    private readonly openFile: OpenFile,
  ) {}

  /** Marks `dir` (from prepareOutDir) as running and opens nothing yet. */
  static async start(dir: string, what: string, openFile: OpenFile = openFresh): Promise<RunOutput> {
    const out = new RunOutput(dir, openFile);
    await out.status(
      `running: ${what}, since ${new Date().toISOString()} (pid ${process.pid}); if this line stays, the run was killed`,
    );
    return out;
  }

  /** `<name>.partial`, opened fresh. */
  async file(name: string): Promise<OutputFile> {
    const f = await OutputFile.create(join(this.dir, name + PARTIAL), this.openFile);
    this.files.set(name, f);
    return f;
  }

  /** Closes every file (checked), renames each `<name>.partial` to `<name>`, and writes STATUS. */
  async commit(status: string): Promise<void> {
    for (const f of this.files.values()) await f.close();
    for (const name of this.files.keys()) {
      try {
        await rename(join(this.dir, name + PARTIAL), join(this.dir, name));
      } catch (e) {
        throw new CliError(`renaming ${shown(join(this.dir, name + PARTIAL))} failed (${code(e)})`, EXIT.io);
      }
    }
    await this.status(status);
  }

  /** After a failure: closes the files (their .partial names stay), and writes STATUS if it can. */
  async fail(status: string): Promise<void> {
    for (const f of this.files.values()) await f.abandon();
    await this.status(status).catch(() => {});
  }

  /** Replaces STATUS with one line (written to STATUS.partial, then renamed). */
  async status(line: string): Promise<void> {
    const tmp = join(this.dir, STATUS_FILE + PARTIAL);
    try {
      await writeFile(tmp, `${line}\n`);
      await rename(tmp, join(this.dir, STATUS_FILE));
    } catch (e) {
      throw new CliError(`writing ${shown(join(this.dir, STATUS_FILE))} failed (${code(e)}: ${oneLine(e)})`, EXIT.io);
    }
  }
}
