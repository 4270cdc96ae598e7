// Reads the process table from procfs. Every read tolerates the process
// exiting in between: a vanished process is skipped, never an error.
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs'
import { basename, isAbsolute, join, resolve } from 'node:path'
import type { Arch } from '../arches.js'
import { readElfHeader } from '../elf.js'

/** Environment variable that marks every process of one run. */
export const RUN_ID_VARIABLE = 'RUMP_CROSS_RUN_ID'

/** USER_HZ: the unit of starttime in /proc/<pid>/stat on Linux. */
const CLOCK_TICKS_PER_SECOND = 100

export interface ProcOptions {
  /** Mount point of procfs; tests point this at a fake tree. */
  readonly procRoot?: string
}

/** One process, from /proc/<pid>/stat. */
export interface ProcessInfo {
  readonly pid: number
  readonly ppid: number
  /** Process group id. */
  readonly pgid: number
  /** Session id. */
  readonly sid: number
  /** State letter: R, S, D, T, Z, ... */
  readonly state: string
  /** Start time in clock ticks after boot; with pid, identifies the process. */
  readonly startTicks: number
  /** Command name (comm), at most 15 characters. */
  readonly comm: string
}

/** A process of the run that executes a guest program under qemu-user. */
export interface EmulatedProcess extends ProcessInfo {
  /** Resolved /proc/<pid>/exe: the qemu binary. */
  readonly exe: string
  /** Guest program, an absolute path when it could be resolved. */
  readonly program: string
  /** Command line as qemu received it (qemu, its options, program, args). */
  readonly cmdline: readonly string[]
  /** Working directory, where qemu writes the guest core. */
  readonly cwd?: string
}

function procRootOf(options?: ProcOptions): string {
  return options?.procRoot ?? '/proc'
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1')
  } catch {
    return undefined
  }
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path)
  } catch {
    return undefined
  }
}

/** Parses /proc/<pid>/stat; comm may contain spaces and parentheses. */
export function parseStat(text: string): ProcessInfo | undefined {
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  if (open < 0 || close < open) return undefined
  const pid = Number(text.slice(0, open).trim())
  // Fields after comm start at field 3 (state), so index i is field i + 3.
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/)
  if (!Number.isInteger(pid) || fields.length < 20) return undefined
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: fields[0],
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    startTicks: Number(fields[19])
  }
}

/** Reads one process; undefined when it does not exist (any more). */
export function readProcess(
  pid: number,
  options?: ProcOptions
): ProcessInfo | undefined {
  const text = readText(join(procRootOf(options), String(pid), 'stat'))
  return text === undefined ? undefined : parseStat(text)
}

/** Lists every process in the proc root, in pid order. */
export function listProcesses(options?: ProcOptions): ProcessInfo[] {
  let names: string[]
  try {
    names = readdirSync(procRootOf(options))
  } catch {
    return []
  }
  const processes: ProcessInfo[] = []
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue
    const info = readProcess(Number(name), options)
    if (info) processes.push(info)
  }
  return processes.sort((a, b) => a.pid - b.pid)
}

/**
 * Lists the processes below rootPid in the parent tree, without rootPid.
 * Daemons re-parented to init or a subreaper are not below it any more;
 * runProcesses also finds those.
 */
export function descendants(
  rootPid: number,
  options?: ProcOptions,
  table: readonly ProcessInfo[] = listProcesses(options)
): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>()
  for (const info of table) {
    const siblings = children.get(info.ppid) ?? []
    siblings.push(info)
    children.set(info.ppid, siblings)
  }
  const found: ProcessInfo[] = []
  const queue = [rootPid]
  const seen = new Set(queue)
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      if (seen.has(child.pid)) continue
      seen.add(child.pid)
      found.push(child)
      queue.push(child.pid)
    }
  }
  return found
}

/** Tells whether /proc/<pid>/environ contains `RUMP_CROSS_RUN_ID=<runId>`. */
export function hasRunMarker(
  pid: number,
  runId: string,
  options?: ProcOptions
): boolean {
  const environ = readText(join(procRootOf(options), String(pid), 'environ'))
  if (environ === undefined) return false
  return environ.split('\0').includes(`${RUN_ID_VARIABLE}=${runId}`)
}

/** Returns this process and its ancestors, which must never be signalled. */
export function selfAndAncestors(options?: ProcOptions): Set<number> {
  const protectedPids = new Set<number>([0, 1])
  let pid = process.pid
  while (pid > 1 && !protectedPids.has(pid)) {
    protectedPids.add(pid)
    pid = readProcess(pid, options)?.ppid ?? 0
  }
  return protectedPids
}

/** Tells whether a process has exited; zombies count as exited. */
export function isGone(info: ProcessInfo, options?: ProcOptions): boolean {
  const now = readProcess(info.pid, options)
  return (
    now === undefined ||
    now.startTicks !== info.startTicks ||
    now.state === 'Z' ||
    now.state === 'X'
  )
}

/**
 * Lists every live process of a run: rootPid, its descendants, the members
 * of the process group and session that rootPid leads, and, when runId is
 * given, every process whose environment carries the run marker. The
 * caller and its ancestors are never included, and neither are zombies.
 */
export function runProcesses(
  rootPid: number,
  runId: string | undefined,
  options?: ProcOptions
): ProcessInfo[] {
  const table = listProcesses(options)
  const excluded = selfAndAncestors(options)
  const members = new Map<number, ProcessInfo>()
  const add = (info: ProcessInfo) => {
    if (excluded.has(info.pid) || info.state === 'Z') return
    members.set(info.pid, info)
  }

  for (const info of table) {
    if (info.pid === rootPid || info.pgid === rootPid || info.sid === rootPid)
      add(info)
  }
  for (const info of descendants(rootPid, options, table)) add(info)
  if (runId !== undefined) {
    for (const info of table) {
      if (!members.has(info.pid) && hasRunMarker(info.pid, runId, options))
        add(info)
    }
  }
  return [...members.values()].sort((a, b) => a.pid - b.pid)
}

/**
 * Returns the paths a process of the target's qemu-user can have as
 * /proc/<pid>/exe: the binfmt_misc interpreter, resolved, plus the file
 * names qemu-<q>, qemu-<q>-static and <q>-binfmt-P anywhere.
 */
export function qemuExecutables(
  arch: Arch,
  options?: ProcOptions
): { names: Set<string>; paths: Set<string> } {
  const names = new Set([
    `qemu-${arch.qemu}`,
    `qemu-${arch.qemu}-static`,
    `${arch.qemu}-binfmt-P`
  ])
  const paths = new Set<string>()
  const entry = readText(
    join(procRootOf(options), 'sys/fs/binfmt_misc', `qemu-${arch.qemu}`)
  )
  const interpreter = /^interpreter (.+)$/m.exec(entry ?? '')?.[1]
  if (interpreter) {
    paths.add(interpreter)
    try {
      paths.add(realpathSync(interpreter))
    } catch {
      // A missing interpreter cannot be running, so the raw path is enough.
    }
  }
  return { names, paths }
}

/** Strips the ` (deleted)` suffix that procfs adds for replaced files. */
function livePath(path: string): string {
  return path.replace(/ \(deleted\)$/, '')
}

function mappedFiles(pid: number, options?: ProcOptions): string[] {
  const maps = readText(join(procRootOf(options), String(pid), 'maps'))
  const files: string[] = []
  for (const line of (maps ?? '').split('\n')) {
    const path = /^\S+ \S+ \S+ \S+ \d+\s+(\/.*)$/.exec(line)?.[1]
    if (path && !files.includes(livePath(path))) files.push(livePath(path))
  }
  return files
}

function canonical(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

/**
 * Finds the guest program of a qemu process. The first command-line word
 * that names a file qemu has mapped wins. Before qemu has mapped the
 * program, the first word naming an ELF file of the target machine wins.
 * A daemon that changed directory no longer resolves a relative word, so
 * next comes the first mapped ELF file of the target machine, and last the
 * word after qemu itself.
 */
function guestProgram(
  pid: number,
  exe: string,
  cmdline: readonly string[],
  cwd: string | undefined,
  arch: Arch,
  options?: ProcOptions
): string {
  const mapped = mappedFiles(pid, options).filter(path => path !== exe)
  const isTargetElf = (path: string) =>
    readElfHeader(path)?.machine === arch.elfMachine
  const candidates = cmdline.slice(1).flatMap(word => {
    if (isAbsolute(word)) return [word]
    return cwd === undefined ? [] : [resolve(cwd, word)]
  })

  const named = candidates.find(
    path => mapped.includes(path) || mapped.includes(canonical(path))
  )
  if (named !== undefined) return canonical(named)
  const onDisk = candidates.find(isTargetElf)
  if (onDisk !== undefined) return canonical(onDisk)
  const image = mapped.find(isTargetElf)
  if (image !== undefined) return image
  return cmdline[1] ?? ''
}

/** Reads exe, cmdline and cwd of a process that runs under the qemu given. */
export function readEmulatedProcess(
  info: ProcessInfo,
  arch: Arch,
  options?: ProcOptions,
  qemu = qemuExecutables(arch, options)
): EmulatedProcess | undefined {
  const dir = join(procRootOf(options), String(info.pid))
  const link = readLink(join(dir, 'exe'))
  if (link === undefined) return undefined
  const exe = livePath(link)
  if (!qemu.names.has(basename(exe)) && !qemu.paths.has(exe)) return undefined

  const raw = readText(join(dir, 'cmdline'))
  if (raw === undefined) return undefined
  const cmdline = raw.split('\0')
  if (cmdline.at(-1) === '') cmdline.pop()
  const cwdLink = readLink(join(dir, 'cwd'))
  const cwd = cwdLink === undefined ? undefined : livePath(cwdLink)
  const program = guestProgram(info.pid, exe, cmdline, cwd, arch, options)
  return { ...info, exe, program, cmdline, cwd }
}

/**
 * Lists rootPid and its descendants that run a guest program under the
 * target's qemu-user, and, when runId is given, every other live process
 * of the run (group, session, marker) that does.
 */
export function emulatedProcesses(
  rootPid: number,
  arch: Arch,
  options?: ProcOptions & { readonly runId?: string }
): EmulatedProcess[] {
  const qemu = qemuExecutables(arch, options)
  const root = readProcess(rootPid, options)
  const candidates =
    options?.runId === undefined
      ? [...(root ? [root] : []), ...descendants(rootPid, options)].filter(
          p => p.state !== 'Z'
        )
      : runProcesses(rootPid, options.runId, options)
  const found: EmulatedProcess[] = []
  for (const info of candidates) {
    const emulated = readEmulatedProcess(info, arch, options, qemu)
    if (emulated) found.push(emulated)
  }
  return found
}

/** Reads the time since boot, in milliseconds, from /proc/uptime. */
export function readUptimeMs(options?: ProcOptions): number | undefined {
  const text = readText(join(procRootOf(options), 'uptime'))
  const seconds = Number(text?.split(' ')[0])
  return Number.isFinite(seconds) ? seconds * 1000 : undefined
}

/** Converts a process start time to milliseconds after boot. */
export function startTimeMs(info: ProcessInfo): number {
  return (info.startTicks * 1000) / CLOCK_TICKS_PER_SECOND
}
