// Ends the processes of a hung test, with guest cores when backtraces are
// on, and turns the cores into backtraces.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Backtrace } from '../results.js'
import { errorMessage } from '../errors.js'
import { backtrace, findGuestCores, removeHostCores } from './backtrace.js'
import { sendSignal, waitForExit } from './kill.js'
import type { EmulatedProcess, ProcessInfo, ProcOptions } from './proc.js'

const execFileAsync = promisify(execFile)

/**
 * Time a process gets to react to SIGQUIT, by exiting or by starting its
 * core file, before it gets SIGABRT. qemu-user keeps the guest's signal
 * dispositions, and a shell starts background jobs with SIGQUIT ignored.
 */
const QUIT_RESPONSE_MS = 1000
/** Time granted to SIGKILL, which cannot be caught, to take effect. */
const KILL_WAIT_MS = 2000

/** One process the watchdog ended because its test stopped making progress. */
export interface HungProcess {
  readonly pid: number
  /** Guest program, or the command name for a process outside qemu. */
  readonly program: string
  readonly cwd?: string
  /** Signals sent, in order. */
  readonly signals: readonly NodeJS.Signals[]
  /** Guest core written by qemu, when there is one. */
  readonly core?: string
}

export interface EndOptions extends ProcOptions {
  /** Time from the first signal to SIGKILL, in ms. */
  readonly graceMs: number
  readonly pollMs?: number
  /** Called with one line per action worth a line in the log. */
  readonly log: (message: string) => void
}

export interface BacktraceAllOptions {
  readonly timeoutMs: number
  readonly gdb?: string
}

function coreLimits(
  pid: number,
  options: ProcOptions
): { soft: string; hard: string } | undefined {
  try {
    const limits = readFileSync(
      join(options.procRoot ?? '/proc', String(pid), 'limits'),
      'utf8'
    )
    const match = /^Max core file size\s+(\S+)\s+(\S+)/m.exec(limits)
    return match ? { soft: match[1], hard: match[2] } : undefined
  } catch {
    return undefined
  }
}

/**
 * Raises RLIMIT_CORE of a running process with prlimit(1), because qemu
 * writes no guest core while the soft limit is 0. Tries unlimited first,
 * which needs CAP_SYS_RESOURCE when the hard limit is lower, then the hard
 * limit.
 */
export async function allowCoreDumps(
  pid: number,
  options: ProcOptions & { readonly log: (message: string) => void }
): Promise<boolean> {
  const limits = coreLimits(pid, options)
  if (limits === undefined) return false
  if (limits.soft === 'unlimited') return true

  const attempts = ['--core=unlimited']
  if (limits.hard !== 'unlimited' && limits.hard !== limits.soft)
    attempts.push(`--core=${limits.hard}:`)
  for (const limit of attempts) {
    try {
      await execFileAsync('prlimit', ['--pid', String(pid), limit])
      return true
    } catch (error) {
      options.log(
        `prlimit ${limit} failed for pid ${pid}: ${errorMessage(error)}`
      )
    }
  }
  return false
}

async function coreOf(
  target: EmulatedProcess,
  sinceMs: number
): Promise<string | undefined> {
  if (target.cwd === undefined) return undefined
  const cores = await findGuestCores(target.cwd, sinceMs)
  return cores.filter(core => core.pid === target.pid).at(-1)?.path
}

function record(
  signals: Map<number, NodeJS.Signals[]>,
  target: ProcessInfo,
  signal: NodeJS.Signals
): void {
  if (!sendSignal(target.pid, signal)) return
  const sent = signals.get(target.pid) ?? []
  sent.push(signal)
  signals.set(target.pid, sent)
}

/**
 * Makes every target write a guest core and exit: SIGQUIT, then SIGABRT to
 * a process that neither exited nor started a core within a second, then
 * SIGKILL to what is left after graceMs. Returns the processes with the
 * signals sent and the core each one wrote.
 */
export async function dumpCores(
  targets: readonly EmulatedProcess[],
  options: EndOptions
): Promise<HungProcess[]> {
  const since = Date.now()
  const signals = new Map<number, NodeJS.Signals[]>()
  await Promise.all(targets.map(t => allowCoreDumps(t.pid, options)))
  for (const target of targets) record(signals, target, 'SIGQUIT')

  let alive = await waitForExit(
    targets,
    Math.min(QUIT_RESPONSE_MS, options.graceMs),
    options
  )
  for (const target of alive) {
    if ((await coreOf(target, since)) === undefined)
      record(signals, target, 'SIGABRT')
  }
  alive = await waitForExit(
    alive,
    Math.max(0, options.graceMs - (Date.now() - since)),
    options
  )
  for (const target of alive) record(signals, target, 'SIGKILL')
  await waitForExit(alive, KILL_WAIT_MS, options)

  const ended: HungProcess[] = []
  for (const target of targets) {
    ended.push({
      pid: target.pid,
      program: target.program,
      cwd: target.cwd,
      signals: signals.get(target.pid) ?? [],
      core: await coreOf(target, since)
    })
  }
  return ended
}

/** Ends every target with SIGKILL, without cores. */
export async function killProcesses(
  targets: readonly (ProcessInfo & {
    readonly program?: string
    readonly cwd?: string
  })[],
  options: EndOptions
): Promise<HungProcess[]> {
  const signals = new Map<number, NodeJS.Signals[]>()
  for (const target of targets) record(signals, target, 'SIGKILL')
  await waitForExit(targets, KILL_WAIT_MS, options)
  return targets.map(target => ({
    pid: target.pid,
    program: target.program ?? target.comm,
    cwd: target.cwd,
    signals: signals.get(target.pid) ?? []
  }))
}

/**
 * Runs gdb on the core of every ended process that has one, in parallel,
 * then deletes the host cores of qemu in their folders.
 */
export async function backtraceAll(
  ended: readonly HungProcess[],
  sinceMs: number,
  options: BacktraceAllOptions
): Promise<Backtrace[]> {
  const withCore = ended.filter(p => p.core !== undefined)
  const backtraces = await Promise.all(
    withCore.map(p => backtrace(p.program, p.core as string, options))
  )
  const folders = new Set(
    ended.flatMap(p => (p.cwd === undefined ? [] : [p.cwd]))
  )
  for (const folder of folders) await removeHostCores(folder, sinceMs)
  return backtraces
}
