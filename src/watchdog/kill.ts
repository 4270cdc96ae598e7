// Ends a whole run: the process tree, the process group and session that
// the run's root leads, and daemons that left both but carry the run marker.
import { setTimeout as sleep } from 'node:timers/promises'
import {
  hasRunMarker,
  isGone,
  listProcesses,
  readProcess,
  runProcesses,
  selfAndAncestors,
  type ProcessInfo,
  type ProcOptions
} from './proc.js'

export interface KillTreeOptions extends ProcOptions {
  /** Value of RUMP_CROSS_RUN_ID in the run's environment. */
  readonly runId?: string
  /** Time between the first signal and SIGKILL, in ms; default 5000. */
  readonly graceMs?: number
  /** Interval between checks for exited processes, in ms; default 50. */
  readonly pollMs?: number
}

export interface KillTreeResult {
  /** Pids that received the first signal. */
  readonly signalled: readonly number[]
  /** Pids that outlived the grace period and received SIGKILL. */
  readonly killed: readonly number[]
  /** Pids still alive at the end; empty unless a process is unkillable. */
  readonly remaining: readonly number[]
}

/** Rounds of stop-and-rescan before a fork-looping tree is taken as is. */
const MAX_FREEZE_ROUNDS = 10
/** Time granted to SIGKILL, which cannot be caught, to take effect. */
const KILL_WAIT_MS = 2000

/**
 * Sends a signal to one process. Returns false when the process does not
 * exist or may not be signalled, instead of throwing.
 */
export function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal)
    return true
  } catch {
    return false
  }
}

/** Waits until every process has exited or timeoutMs passed; returns the rest. */
export async function waitForExit<T extends ProcessInfo>(
  processes: readonly T[],
  timeoutMs: number,
  options: ProcOptions & { readonly pollMs?: number } = {}
): Promise<T[]> {
  const deadline = Date.now() + timeoutMs
  let alive = processes.filter(p => !isGone(p, options))
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(
      Math.min(options.pollMs ?? 50, Math.max(1, deadline - Date.now()))
    )
    alive = alive.filter(p => !isGone(p, options))
  }
  return alive
}

/**
 * Signals the process group rootPid leads, unless the caller or one of its
 * ancestors belongs to that group. With a run id, the group must also have
 * a marked member, so that a group id reused after the run is left alone.
 */
function signalGroup(
  rootPid: number,
  signal: NodeJS.Signals,
  options: KillTreeOptions
): void {
  if (rootPid <= 1) return
  for (const pid of selfAndAncestors(options)) {
    if (readProcess(pid, options)?.pgid === rootPid) return
  }
  const { runId } = options
  if (runId !== undefined) {
    const members = listProcesses(options).filter(p => p.pgid === rootPid)
    if (!members.some(p => hasRunMarker(p.pid, runId, options))) return
  }
  sendSignal(-rootPid, signal)
}

/**
 * Stops every process of the run with SIGSTOP, rescanning until no new
 * process shows up, so that nothing forks between the scan and the signal.
 */
function freeze(rootPid: number, options: KillTreeOptions): ProcessInfo[] {
  const members = new Map<number, ProcessInfo>()
  for (let round = 0; round < MAX_FREEZE_ROUNDS; round++) {
    signalGroup(rootPid, 'SIGSTOP', options)
    let added = 0
    for (const info of runProcesses(rootPid, options.runId, options)) {
      if (members.has(info.pid)) continue
      members.set(info.pid, info)
      sendSignal(info.pid, 'SIGSTOP')
      added++
    }
    if (added === 0) break
  }
  return [...members.values()]
}

function signalAll(
  rootPid: number,
  members: readonly ProcessInfo[],
  signal: NodeJS.Signals,
  options: KillTreeOptions
): number[] {
  const reached = members.filter(m => sendSignal(m.pid, signal)).map(m => m.pid)
  signalGroup(rootPid, signal, options)
  return reached
}

/**
 * Ends every process of a run: rootPid, its descendants, its process group
 * and session, and (with runId) every process marked with the run id.
 * Sends `signal` first, then SIGKILL to what is left after graceMs.
 * The caller and its ancestors are never signalled.
 *
 * NOTE: the run marker is read from /proc/<pid>/environ, the environment a
 * program was started with. A daemon that leaves the group and session and
 * then execs a program with a fresh environment escapes every check.
 */
export async function killTree(
  rootPid: number,
  signal: NodeJS.Signals = 'SIGTERM',
  options: KillTreeOptions = {}
): Promise<KillTreeResult> {
  const graceMs = options.graceMs ?? 5000
  const members = freeze(rootPid, options)
  const signalled = signalAll(rootPid, members, signal, options)
  // Stopped processes act on SIGTERM only once they run again.
  signalAll(rootPid, members, 'SIGCONT', options)

  let alive = await waitForExit(
    members,
    signal === 'SIGKILL' ? KILL_WAIT_MS : graceMs,
    options
  )
  // Signal handlers (a shell's trap, say) may have started new processes.
  const stragglers = freeze(rootPid, options)
  const survivors = new Map<number, ProcessInfo>()
  for (const info of [...alive, ...stragglers]) survivors.set(info.pid, info)
  const killed = signalAll(rootPid, [...survivors.values()], 'SIGKILL', options)

  alive = await waitForExit([...survivors.values()], KILL_WAIT_MS, options)
  return {
    signalled,
    killed,
    remaining: alive.map(p => p.pid)
  }
}
