// Connects the test phase to the watchdog: starts and stops its clock as
// the suite prints titles and results, marks hung tests in the tracker, and
// collects guest backtraces of hung and crashed tests.
import path from 'node:path'
import { type Arch } from '../arches.js'
import { formatDuration } from '../duration.js'
import { errorMessage } from '../errors.js'
import { type Backtrace, type TestResult } from '../results.js'
import { type Ui } from '../ui.js'
import {
  collectCrashBacktraces,
  DEFAULT_GDB_TIMEOUT_MS
} from '../watchdog/backtrace.js'
import { Watchdog } from '../watchdog/watchdog.js'
import { type BuildrumpDirs } from './command.js'
import { type SuiteTracker, type TrackerEvent } from './parser.js'
import { type TestObserver } from './run.js'

export interface TestWatchOptions {
  readonly arch: Arch
  readonly runId: string
  readonly testTimeoutMs: number
  readonly backtraces: boolean
  readonly tracker: SuiteTracker
  readonly ui: Ui
  readonly dirs: BuildrumpDirs
}

export class TestWatch implements TestObserver {
  private watchdog?: Watchdog
  private readonly startedAt = new Map<string, number>()
  private readonly traces = new Map<string, Backtrace[]>()
  private readonly pending = new Set<Promise<void>>()
  private readonly hung = new Set<string>()

  constructor(private readonly options: TestWatchOptions) {}

  /** Folder where testrump.sh runs a test, and where qemu writes its cores. */
  private testDir(id: string): string {
    return path.join(this.options.dirs.obj, 'brtests', id)
  }

  started(pid: number): void {
    const { arch, runId, testTimeoutMs, backtraces, ui, tracker } = this.options
    this.watchdog = new Watchdog({
      rootPid: pid,
      runId,
      arch,
      testTimeoutMs,
      backtraces,
      ui,
      onHangDetected: id => {
        this.hung.add(id)
        tracker.markHung(
          id,
          `no output for ${formatDuration(testTimeoutMs)}`,
          Date.now()
        )
      },
      onHang: (id, info) => {
        tracker.markHung(id, info.reason, Date.now())
        this.addTraces(id, info.backtraces)
      }
    })
  }

  progress(): void {
    this.watchdog?.progress()
  }

  event(event: TrackerEvent): void {
    if (event.type === 'test-start') {
      this.startedAt.set(event.id, Date.now())
      this.watchdog?.testStarted(event.id)
    } else if (event.type === 'test-end') {
      this.watchdog?.testEnded(event.id)
      if (event.outcome === 'crashed' && !this.hung.has(event.id)) {
        this.collectCrash(event.id)
      }
    }
  }

  async finished(): Promise<void> {
    await this.watchdog?.stop()
    while (this.pending.size > 0) await Promise.all(this.pending)
  }

  /** Attaches the collected backtraces to the results. */
  decorate(results: TestResult[]): TestResult[] {
    for (const result of results) {
      const traces = this.traces.get(result.id)
      if (traces) result.backtraces.push(...traces)
    }
    return results
  }

  private addTraces(id: string, traces: readonly Backtrace[]): void {
    this.traces.set(id, [...(this.traces.get(id) ?? []), ...traces])
  }

  private collectCrash(id: string): void {
    if (!this.options.backtraces) return
    const since = this.startedAt.get(id) ?? Date.now()
    const job = collectCrashBacktraces(this.testDir(id), since, {
      timeoutMs: DEFAULT_GDB_TIMEOUT_MS,
      programDirs: [
        path.join(this.options.dirs.dest, 'bin'),
        this.testDir('simpleclient')
      ]
    })
      .then(traces => this.addTraces(id, traces))
      .catch(error => {
        this.options.ui.warning(
          `Collecting the backtrace of crashed test ${id} failed: ${errorMessage(error)}`
        )
      })
      .finally(() => this.pending.delete(job))
    this.pending.add(job)
  }
}
