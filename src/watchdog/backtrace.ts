// Guest core files and their backtraces. When a guest dies on a signal
// whose default action dumps core, and RLIMIT_CORE is not 0, qemu-user
// writes a core of the guest as `qemu_<program>_<yyyymmdd>-<hhmmss>_<pid>.core`
// in the process's working folder. The kernel then also dumps the qemu
// process itself where core_pattern puts it, by default as `core` in the
// same folder (about 150 MB). That core is useless for the guest, so it is
// deleted here. Seen with qemu-user-static 7.2 on Debian 12.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { promisify } from 'node:util'
import type { Backtrace } from '../results.js'
import { formatDuration } from '../duration.js'
import { readCoreCommand, type CoreCommand } from '../elf.js'

const execFileAsync = promisify(execFile)

const GUEST_CORE_NAME = /^qemu_(.+)_(\d{8}-\d{6})_(\d+)\.core$/
/** `core`, `core.<pid>` and other names a relative core_pattern yields. */
const HOST_CORE_NAME = /^core(\..+)?$/
/**
 * File times come from the kernel's coarse clock, which can lag the clock
 * behind Date.now() by a few milliseconds.
 */
const FILE_TIME_SLACK_MS = 100
const GDB_OUTPUT_LIMIT = 16 * 1024 * 1024

export const DEFAULT_GDB = 'gdb-multiarch'

/** Frames printed per thread. */
export const BACKTRACE_FRAME_LIMIT = 64

/** Default limit for one gdb run, in milliseconds. */
export const DEFAULT_GDB_TIMEOUT_MS = 60_000

/** A guest core file written by qemu-user. */
export interface GuestCore {
  readonly path: string
  /** Base name of the guest program, as qemu put it in the file name. */
  readonly program: string
  /** Host pid of the qemu process that wrote it. */
  readonly pid: number
  readonly mtimeMs: number
}

export interface BacktraceOptions {
  /** Limit for one gdb run, in ms. */
  readonly timeoutMs: number
  /** gdb executable; default gdb-multiarch from PATH. */
  readonly gdb?: string
}

/** A line saying that a program died on a signal. */
export interface SignalReport {
  /** strsignal() text, such as `Segmentation fault`. */
  readonly description: string
  /** Target signal number; only qemu's message carries it. */
  readonly signal?: number
  /** Origin of the line: qemu-user, or the shell that ran the program. */
  readonly source: 'qemu' | 'shell'
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch {
    return []
  }
}

/**
 * Lists the guest cores in dir that were written at or after sinceMs
 * (epoch ms), oldest first.
 */
export async function findGuestCores(
  dir: string,
  sinceMs: number
): Promise<GuestCore[]> {
  const cores: GuestCore[] = []
  for (const name of await listDir(dir)) {
    const match = GUEST_CORE_NAME.exec(name)
    if (!match) continue
    const path = join(dir, name)
    try {
      const info = await stat(path)
      if (!info.isFile() || info.mtimeMs < sinceMs - FILE_TIME_SLACK_MS)
        continue
      cores.push({
        path,
        program: match[1],
        pid: Number(match[3]),
        mtimeMs: info.mtimeMs
      })
    } catch {
      // Deleted between readdir and stat.
    }
  }
  return cores.sort((a, b) => a.mtimeMs - b.mtimeMs)
}

/** Tells whether a core's NT_PRPSINFO names a qemu-user binary. */
export function isQemuCommand(command: CoreCommand): boolean {
  const words = [command.name, basename(command.args.split(' ')[0] ?? '')]
  return words.some(w => w.startsWith('qemu-') || /-binfmt(-[A-Z]+)?$/.test(w))
}

/**
 * Deletes host core files of qemu itself (`core`, `core.<pid>`, ...) in dir
 * that were written at or after sinceMs. Cores of other host programs and
 * the guest cores are kept. Returns the deleted paths.
 */
export async function removeHostCores(
  dir: string,
  sinceMs: number
): Promise<string[]> {
  const removed: string[] = []
  for (const name of await listDir(dir)) {
    if (!HOST_CORE_NAME.test(name)) continue
    const path = join(dir, name)
    try {
      const info = await stat(path)
      if (!info.isFile() || info.mtimeMs < sinceMs - FILE_TIME_SLACK_MS)
        continue
      const command = readCoreCommand(path)
      if (!command || !isQemuCommand(command)) continue
      await rm(path, { force: true })
      removed.push(path)
    } catch {
      // Deleted by someone else in the meantime.
    }
  }
  return removed
}

interface ExecFailure {
  code?: string | number
  killed?: boolean
  signal?: string
  stdout?: string
  stderr?: string
}

function describeGdbFailure(error: ExecFailure, options: BacktraceOptions) {
  const gdb = options.gdb ?? DEFAULT_GDB
  const output = (error.stdout ?? '').trim()
  if (error.code === 'ENOENT')
    return `${gdb} not found, so there is no backtrace; install gdb-multiarch or set backtraces to false`
  if (error.killed)
    return `${gdb} timed out after ${formatDuration(options.timeoutMs)}. Partial output:\n${output}`
  const detail = (error.stderr ?? '').trim() || output
  return `${gdb} failed (exit code ${error.code ?? error.signal}): ${detail}`
}

/**
 * Runs gdb on a guest core and returns every guest thread's backtrace.
 * gdb is killed after timeoutMs, and the text then reports the timeout
 * and keeps what gdb printed. Failures are described in the text, never thrown.
 */
export async function backtrace(
  program: string,
  core: string,
  options: BacktraceOptions
): Promise<Backtrace> {
  const gdb = options.gdb ?? DEFAULT_GDB
  const args = ['-batch', '-nx', '-ex', 'set pagination off']
  // gdb 13.1 walks past __clone forever on some arm musl cores; a limit
  // ends the walk and keeps every frame a person would read.
  args.push('-ex', `set backtrace limit ${BACKTRACE_FRAME_LIMIT}`)
  args.push('-ex', 'thread apply all bt', program, core)
  // Without DEBUGINFOD_URLS, gdb does not try to download debug info.
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' }
  delete env.DEBUGINFOD_URLS

  try {
    const { stdout, stderr } = await execFileAsync(gdb, args, {
      env,
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: GDB_OUTPUT_LIMIT
    })
    return { program, core, text: stdout.trim() || stderr.trim() }
  } catch (error) {
    return {
      program,
      core,
      text: describeGdbFailure(error as ExecFailure, options)
    }
  }
}

/** glibc's strsignal() texts of the signals that end a program by default. */
const SIGNAL_DESCRIPTIONS = [
  'Hangup',
  'Quit',
  'Illegal instruction',
  'Trace/breakpoint trap',
  'Aborted',
  'Bus error',
  'Floating point exception',
  'Killed',
  'User defined signal 1',
  'Segmentation fault',
  'User defined signal 2',
  'Alarm clock',
  'Terminated',
  'Stack fault',
  'Bad system call',
  'CPU time limit exceeded',
  'File size limit exceeded',
  'Virtual timer expired',
  'Profiling timer expired'
]
const DESCRIPTION = SIGNAL_DESCRIPTIONS.join('|')
/** dash prints the description alone, with ` (core dumped)` after a core. */
const DASH_REPORT = new RegExp(`^(${DESCRIPTION})( \\(core dumped\\))?$`)
/** bash prints `<script>: line <n>: <pid> <description> <command>`. */
const BASH_REPORT = new RegExp(
  `: (?:line \\d+: )?\\s*\\d+ (${DESCRIPTION})(?:\\s|$)`
)
const QEMU_REPORT = /qemu: uncaught target signal (\d+) \(([^)]*)\)/

/**
 * Recognises a line that reports a program's death on a signal. qemu-user
 * 7.2 printed `qemu: uncaught target signal <n> (<text>) - core dumped`
 * when RLIMIT_CORE was 0 and it wrote no core, and nothing when it did
 * write one. The shell that ran the program reports the death either way,
 * on its stderr: dash as `Segmentation fault` alone on a line, bash as
 * `<pid> Segmentation fault <command>` after the script name.
 */
export function parseSignalReport(line: string): SignalReport | undefined {
  const qemu = QEMU_REPORT.exec(line)
  if (qemu)
    return { description: qemu[2], signal: Number(qemu[1]), source: 'qemu' }
  const shell = DASH_REPORT.exec(line.trim()) ?? BASH_REPORT.exec(line)
  if (shell) return { description: shell[1], source: 'shell' }
  return undefined
}

/**
 * Returns the path of a guest program named in a core file: the first
 * folder that contains a file of that name.
 */
function locateProgram(
  name: string,
  dirs: readonly string[]
): string | undefined {
  return dirs.map(dir => join(dir, name)).find(path => existsSync(path))
}

/**
 * Collects the backtraces of a test that ended on a signal: every guest
 * core written in its working folder since sinceMs, with gdb run on the
 * program of the same name from testDir or programDirs (in that order).
 * Deletes the host cores of qemu found there.
 *
 * NOTE: qemu names a core after the program's base name only, so two
 * programs with the same name in different folders cannot be distinguished.
 */
export async function collectCrashBacktraces(
  testDir: string,
  sinceMs: number,
  options: BacktraceOptions & { readonly programDirs?: readonly string[] }
): Promise<Backtrace[]> {
  const dirs = [testDir, ...(options.programDirs ?? [])]
  const backtraces: Backtrace[] = []
  for (const core of await findGuestCores(testDir, sinceMs)) {
    const program = locateProgram(core.program, dirs)
    if (program === undefined) {
      backtraces.push({
        program: core.program,
        core: core.path,
        text: `program ${core.program} not found in ${dirs.join(', ')}, so the core has no backtrace`
      })
      continue
    }
    backtraces.push(await backtrace(program, core.path, options))
  }
  await removeHostCores(testDir, sinceMs)
  return backtraces
}
