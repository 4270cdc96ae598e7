// Safe extraction of .tar.gz and .tar.xz toolchain archives. Symbolic links
// (absolute and dangling ones too) and hard links are kept as they are, but
// no entry may be written outside the target folder.
import { spawn } from 'node:child_process'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import * as tar from 'tar'
import { UserError, errorMessage } from '../errors.js'

export type Compression = 'gzip' | 'xz'

/** An archive entry that would escape the target folder, or has a type toolchain archives do not contain. */
export class UnsafeArchiveError extends UserError {
  constructor(message: string) {
    super(message)
    this.name = 'UnsafeArchiveError'
  }
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b])
const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])

/** Returns the compression of `file` from its first bytes. */
export async function detectCompression(
  file: string,
  name = file
): Promise<Compression> {
  const handle = await fs.open(file, 'r')
  try {
    const head = Buffer.alloc(6)
    const { bytesRead } = await handle.read(head, 0, head.length, 0)
    const start = head.subarray(0, bytesRead)
    if (start.subarray(0, 2).equals(GZIP_MAGIC)) return 'gzip'
    if (start.equals(XZ_MAGIC)) return 'xz'
  } finally {
    await handle.close()
  }
  throw new UserError(
    `${name} is neither a gzip nor an xz compressed file. Point toolchain-url at a .tar.gz, .tgz or .tar.xz archive.`
  )
}

/** Entry fields the checks read; node-tar's ReadEntry has them all. */
interface EntryHeader {
  readonly path: string
  readonly type: string
  readonly linkpath?: string
}

const ALLOWED_TYPES = new Set([
  'File',
  'OldFile',
  'ContiguousFile',
  'Directory',
  'SymbolicLink',
  'Link'
])

/**
 * Checks entries in archive order and rejects any that could write outside
 * the target folder: absolute paths, `..` components, paths below a symbolic
 * link that an earlier entry created, and hard links to such places. The
 * targets of symbolic links are not checked, because the extractor never
 * writes through them (the checks above forbid it).
 */
export class EntryChecker {
  private readonly symlinks = new Set<string>()

  /**
   * Returns why `entry` is unsafe, as a phrase that follows the entry's
   * name ("is an absolute path"), or undefined when it is safe.
   */
  problem(entry: EntryHeader): string | undefined {
    if (!ALLOWED_TYPES.has(entry.type)) {
      return `has the type ${entry.type}, which a toolchain archive does not contain`
    }
    const own = this.pathProblem(entry.path)
    if (own) return own

    if (entry.type === 'Link') {
      const target = entry.linkpath ?? ''
      const targetProblem = this.pathProblem(target)
      if (targetProblem) {
        return `is a hard link to ${JSON.stringify(target)}, which ${targetProblem}`
      }
    }
    const name = normalize(entry.path)
    if (entry.type === 'SymbolicLink') {
      this.symlinks.add(name)
    } else {
      // node-tar removes a link before it writes another entry at its path.
      this.symlinks.delete(name)
    }
    return undefined
  }

  private pathProblem(entryPath: string): string | undefined {
    if (entryPath === '' || entryPath.includes('\0')) {
      return 'is empty or contains a NUL byte'
    }
    if (entryPath.startsWith('/') || /^[a-zA-Z]:/.test(entryPath)) {
      return 'is an absolute path'
    }
    if (entryPath.replaceAll('\\', '/').split('/').includes('..')) {
      return 'contains a ".." component'
    }
    const segments = normalize(entryPath).split('/')
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/')
      if (this.symlinks.has(parent)) {
        return `lies below ${JSON.stringify(parent)}, a symbolic link from the same archive`
      }
    }
    return undefined
  }
}

/** Returns the entry path without `./`, empty segments or a trailing slash. */
function normalize(entryPath: string): string {
  return entryPath
    .replaceAll('\\', '/')
    .split('/')
    .filter(part => part !== '' && part !== '.')
    .join('/')
}

interface TarStream {
  readonly stream: Readable
  /** Settles when the decompressor has exited; rejects when it failed. */
  readonly done: Promise<void>
  /** Stops the decompressor; returns false when it had already exited. */
  stop(): boolean
}

/** Opens the uncompressed tar stream of `file`, through `xz` for xz files. */
function openTarStream(
  file: string,
  compression: Compression,
  name: string
): TarStream {
  if (compression === 'gzip') {
    // node-tar recognises gzip itself.
    const stream = createReadStream(file)
    return {
      stream,
      done: Promise.resolve(),
      stop: () => {
        stream.destroy()
        return true
      }
    }
  }
  const xz = spawn('xz', ['--decompress', '--stdout', '--', file], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  xz.stderr.on('data', (data: Buffer) => {
    if (stderr.length < 4096) stderr += data.toString()
  })
  const done = new Promise<void>((resolve, reject) => {
    xz.on('error', error => {
      const code = (error as NodeJS.ErrnoException).code
      reject(
        code === 'ENOENT'
          ? new UserError(
              'xz was not found on PATH, so a .tar.xz toolchain cannot be unpacked. Install it (apt-get install xz-utils) or use a .tar.gz toolchain-url.'
            )
          : error
      )
    })
    xz.on('close', (code, signal) => {
      if (code === 0) return resolve()
      reject(
        new UserError(
          `xz could not decompress ${name} (${signal ?? `exit status ${code}`}): ${stderr.trim() || 'no message'}. The archive is damaged or not an xz file.`
        )
      )
    })
  })
  const stop = (): boolean =>
    xz.exitCode === null && xz.signalCode === null && xz.kill()
  return { stream: xz.stdout, done, stop }
}

/** Feeds the archive into a node-tar parser and waits for both ends. */
async function feed(
  file: string,
  compression: Compression,
  consumer: tar.Parser | tar.Unpack,
  name: string
): Promise<void> {
  const { stream, done, stop } = openTarStream(file, compression, name)
  let interrupted = false
  const consumed = new Promise<void>((resolve, reject) => {
    consumer.on('error', reject)
    consumer.on('close', () => resolve())
    stream.on('error', reject)
  })
  stream.pipe(consumer)
  const [consumerResult, producerResult] = await Promise.allSettled([
    consumed.catch(error => {
      // xz blocks on a full pipe once the parser stops reading.
      interrupted = stop()
      throw error
    }),
    done
  ])

  // A decompressor that failed by itself (xz missing, damaged data) explains
  // what the tar parser saw, so its error comes first. A decompressor that
  // was stopped after a tar error explains nothing.
  if (producerResult.status === 'rejected' && !interrupted) {
    throw producerResult.reason
  }
  if (consumerResult.status === 'rejected') {
    throw new UserError(
      `Could not unpack ${name}: ${errorMessage(consumerResult.reason)}. The archive is damaged or is not a tar archive.`
    )
  }
}

function unsafe(
  file: string,
  entryPath: string,
  problem: string
): UnsafeArchiveError {
  return new UnsafeArchiveError(
    `The toolchain archive ${file} is unsafe and was not used: its entry ${JSON.stringify(entryPath)} ${problem}. Use an archive whose entries all stay inside its own folder.`
  )
}

/** Reads every entry header and throws UnsafeArchiveError on the first unsafe one. */
async function checkEntries(
  file: string,
  compression: Compression,
  name: string
): Promise<number> {
  const checker = new EntryChecker()
  let first: UnsafeArchiveError | undefined
  let count = 0
  const parser = new tar.Parser({
    strict: true,
    onReadEntry: entry => {
      count++
      const problem = first ? undefined : checker.problem(entry)
      if (problem) first = unsafe(name, entry.path, problem)
      entry.resume()
    }
  })
  await feed(file, compression, parser, name)
  if (first) throw first
  return count
}

/**
 * Extracts `file` into the folder `destination`, which must be new or empty.
 * All entries are checked first, so an unsafe archive writes nothing; the
 * same checks run again as a filter during extraction. `name` (such as the
 * masked URL) stands for the archive in messages. Returns the number of
 * entries.
 */
export async function extractArchive(
  file: string,
  destination: string,
  name = file
): Promise<number> {
  const compression = await detectCompression(file, name)
  const count = await checkEntries(file, compression, name)

  await fs.mkdir(destination, { recursive: true })
  const checker = new EntryChecker()
  let rejected: UnsafeArchiveError | undefined
  const unpack = new tar.Unpack({
    cwd: path.resolve(destination),
    strict: true,
    // node-tar would rewrite absolute symbolic link targets and refuse link
    // targets that pass through other links; EntryChecker guards the paths.
    preservePaths: true,
    preserveOwner: false,
    filter: (entryPath, entry) => {
      const problem = checker.problem(entry as tar.ReadEntry)
      if (problem && !rejected) rejected = unsafe(name, entryPath, problem)
      return problem === undefined && rejected === undefined
    }
  })
  await feed(file, compression, unpack, name)
  if (rejected) throw rejected
  return count
}
