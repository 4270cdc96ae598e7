// Watches the running test of the suite. A test that prints nothing for
// test-timeout is hung, whether its program spins or blocks: its emulated
// processes dump guest cores and exit, so that the suite goes on with the
// next test, and the runner gets the backtraces.
import type { Arch } from '../arches.js'
import { formatDuration } from '../duration.js'
import { errorMessage } from '../errors.js'
import type { Backtrace } from '../results.js'
import type { Ui } from '../ui.js'
import { DEFAULT_GDB, DEFAULT_GDB_TIMEOUT_MS } from './backtrace.js'
import {
  backtraceAll,
  dumpCores,
  killProcesses,
  type EndOptions,
  type HungProcess
} from './hang.js'
import {
  emulatedProcesses,
  readUptimeMs,
  runProcesses,
  startTimeMs,
  type ProcessInfo
} from './proc.js'

export type { HungProcess } from './hang.js'

/** Findings and actions of the watchdog for a test that stopped making progress. */
export interface HangInfo {
  readonly testId: string
  /** Time without output before the watchdog acted, in ms. */
  readonly idleMs: number
  readonly processes: readonly HungProcess[]
  readonly backtraces: readonly Backtrace[]
  /** One line for the report. */
  readonly reason: string
}

export interface WatchdogOptions {
  /** Pid of the shell that runs buildrump.sh; it leads its process group. */
  readonly rootPid: number
  /** Value of RUMP_CROSS_RUN_ID in the run's environment. */
  readonly runId: string
  readonly arch: Arch
  /** Time without output after which the running test counts as hung, in ms. */
  readonly testTimeoutMs: number
  /** Time from SIGQUIT to SIGKILL, in ms; default 10000. */
  readonly graceMs?: number
  /** Whether hung processes dump guest cores for backtraces. */
  readonly backtraces: boolean
  readonly ui: Ui
  readonly procRoot?: string
  /** Limit for one gdb run, in ms; default 60000. */
  readonly gdbTimeoutMs?: number
  readonly gdb?: string
  /**
   * Called once per hung test when the watchdog starts ending its
   * processes, before the shell reports them as killed by a signal.
   */
  readonly onHangDetected?: (testId: string) => void
  /** Called once per hung test, after its processes ended. */
  readonly onHang: (testId: string, info: HangInfo) => void
}

interface RunningTest {
  readonly id: string
  /** Time after boot when the test started, comparable to process start times. */
  readonly startedUptimeMs?: number
  /** Hang rounds so far; a second round starts when killing did not help. */
  rounds: number
  handling: boolean
}

/**
 * A process of the test's shell may start a little before the runner reads
 * the test's title, which then passes through a pipe and the event loop.
 */
const TEST_START_SLACK_MS = 1000

/** Checks the running test for progress and ends it when it has none. */
export class Watchdog {
  private current: RunningTest | undefined
  private lastProgress = Date.now()
  private readonly timer: NodeJS.Timeout
  private readonly pending = new Set<Promise<void>>()
  /** Pids being ended by a hang round that is still running. */
  private readonly busy = new Set<number>()
  private readonly hung = new Set<string>()

  constructor(private readonly options: WatchdogOptions) {
    const interval = Math.min(1000, Math.max(50, options.testTimeoutMs / 10))
    this.timer = setInterval(() => this.check(), interval)
    this.timer.unref()
  }

  /** Starts the clock for a test; called when the suite prints its title. */
  testStarted(id: string): void {
    this.current = {
      id,
      startedUptimeMs: readUptimeMs(this.options),
      rounds: 0,
      handling: false
    }
    this.lastProgress = Date.now()
  }

  /** Restarts the clock; called for every piece of output. */
  progress(): void {
    this.lastProgress = Date.now()
  }

  /** Stops watching a test; ids of tests no longer running are ignored. */
  testEnded(id: string): void {
    if (this.current?.id === id) this.current = undefined
  }

  /**
   * Tells whether the watchdog found the test hung, from the moment it
   * starts ending its processes, before onHang is called. The shell then
   * reports those processes as killed by SIGQUIT, which is no crash.
   */
  wasHung(id: string): boolean {
    return this.hung.has(id)
  }

  /** Stops watching and waits for hang rounds still collecting backtraces. */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.current = undefined
    while (this.pending.size > 0) await Promise.all(this.pending)
  }

  private check(): void {
    const test = this.current
    if (test === undefined || test.handling) return
    const idleMs = Date.now() - this.lastProgress
    if (idleMs < this.options.testTimeoutMs) return

    test.handling = true
    test.rounds++
    if (!this.hung.has(test.id)) {
      this.hung.add(test.id)
      this.notifyDetected(test.id)
    }
    const round = this.endHungTest(test, idleMs)
      .catch(error => {
        this.options.ui.warning(
          `Ending hung test ${test.id} failed: ${errorMessage(error)}`
        )
      })
      .finally(() => {
        test.handling = false
        if (this.current === test) this.lastProgress = Date.now()
        this.pending.delete(round)
      })
    this.pending.add(round)
  }

  private notifyDetected(id: string): void {
    try {
      this.options.onHangDetected?.(id)
    } catch (error) {
      this.options.ui.warning(
        `onHangDetected failed for test ${id}: ${errorMessage(error)}`
      )
    }
  }

  /**
   * Lists the processes a test started that have no children, for a hang
   * without emulated processes. Ending only the leaves lets the test's own
   * shell see a failed command and go on, as `|| die` expects. When that is
   * not enough, a later round reaches the next level.
   */
  private testLeafProcesses(test: RunningTest): ProcessInfo[] {
    const since = test.startedUptimeMs
    if (since === undefined) return []
    const { rootPid, runId } = this.options
    const run = runProcesses(rootPid, runId, this.options)
    const parents = new Set(run.map(p => p.ppid))
    return run.filter(
      p =>
        p.pid !== rootPid &&
        !parents.has(p.pid) &&
        !this.busy.has(p.pid) &&
        startTimeMs(p) >= since - TEST_START_SLACK_MS
    )
  }

  private async endHungTest(test: RunningTest, idleMs: number): Promise<void> {
    const { ui, arch, rootPid, runId } = this.options
    const startedAt = Date.now()
    const endOptions: EndOptions = {
      procRoot: this.options.procRoot,
      graceMs: this.options.graceMs ?? 10_000,
      log: message => ui.info(message)
    }

    const emulated = emulatedProcesses(rootPid, arch, {
      runId,
      procRoot: this.options.procRoot
    }).filter(p => !this.busy.has(p.pid))
    const targets: (ProcessInfo & { program?: string })[] =
      emulated.length > 0 ? emulated : this.testLeafProcesses(test)
    const names = targets
      .map(p => `${p.program ?? p.comm} (pid ${p.pid})`)
      .join(', ')
    ui.info(
      `Test ${test.id} printed nothing for ${formatDuration(idleMs)}: ` +
        (emulated.length > 0
          ? `ending its qemu-${arch.qemu} processes ${names}`
          : targets.length > 0
            ? `no qemu-${arch.qemu} process found, ending the processes it started: ${names}`
            : `no process of the test found`)
    )

    for (const target of targets) this.busy.add(target.pid)
    let ended: HungProcess[]
    let backtraces: Backtrace[] = []
    try {
      const dump = this.options.backtraces && emulated.length > 0
      ended = dump
        ? await dumpCores(emulated, endOptions)
        : await killProcesses(targets, endOptions)
      if (dump) {
        backtraces = await backtraceAll(ended, startedAt, {
          timeoutMs: this.options.gdbTimeoutMs ?? DEFAULT_GDB_TIMEOUT_MS,
          gdb: this.options.gdb ?? DEFAULT_GDB
        })
      }
    } finally {
      for (const target of targets) this.busy.delete(target.pid)
    }

    const info: HangInfo = {
      testId: test.id,
      idleMs,
      processes: ended,
      backtraces,
      reason: describeHang(idleMs, ended)
    }
    ui.info(`Test ${test.id}: ${info.reason}`)
    if (test.rounds === 1) this.options.onHang(test.id, info)
  }
}

/** Summarises a hang in one line, such as `no output for 2.0 s; ...`. */
export function describeHang(
  idleMs: number,
  ended: readonly HungProcess[]
): string {
  const idle = `no output for ${formatDuration(idleMs)}`
  if (ended.length === 0) return `${idle}; no process to end was found`
  const parts = ended.map(p => {
    const name = p.program.split('/').at(-1) || p.program
    const signals = p.signals.length > 0 ? p.signals.join(', ') : 'already gone'
    return `${name} (pid ${p.pid}: ${signals}${p.core ? ', core dumped' : ''})`
  })
  return `${idle}; ended ${parts.join('; ')}`
}
