// Runs buildrump.sh for one target: one invocation per command, each in a
// log group of its own, with the watchdog on the test phase.
import { type WriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { type Arch } from '../arches.js'
import { formatDuration } from '../duration.js'
import {
  type BuildError,
  type PhaseTiming,
  type TestResult
} from '../results.js'
import { type Ui } from '../ui.js'
import { killTree } from '../watchdog/kill.js'
import { type BuildrumpDirs, buildrumpArgs, expandCommands } from './command.js'
import { TestWatch } from './observer.js'
import { SuiteTracker } from './parser.js'
import { BuildrumpRunner, type StopReason } from './run.js'
import { SUITE } from './suite.js'

export interface BuildrumpRequest {
  readonly arch: Arch
  readonly script: string
  readonly dirs: BuildrumpDirs
  readonly jobs: number
  readonly userArgs: readonly string[]
  readonly commands: readonly string[]
  readonly env: NodeJS.ProcessEnv
  readonly runId: string
  readonly testTimeoutMs: number
  readonly backtraces: boolean
  readonly log: WriteStream
}

export interface BuildrumpOutcome {
  readonly phases: PhaseTiming[]
  /** The nine results when the tests ran; empty otherwise. */
  readonly tests: TestResult[]
  readonly buildErrors: BuildError[]
  /** The failed command and buildrump.sh's own message, if any. */
  readonly failure?: { readonly command: string; readonly message: string }
  readonly stopped?: StopReason
  readonly testsStarted: boolean
  /** The tests command exited with an error. */
  readonly testsFailed?: boolean
}

/** Results for a suite that never started: every test not-run. */
export function notRunResults(reason: string): TestResult[] {
  return SUITE.map(test => ({
    id: test.id,
    title: test.title,
    outcome: 'not-run',
    reason,
    output: [],
    backtraces: []
  }))
}

/** Handle to stop a run from a signal handler or the overall timeout. */
export interface RunControl {
  stop(reason: StopReason): Promise<void>
}

export async function runBuildrump(
  request: BuildrumpRequest,
  ui: Ui,
  onControl?: (control: RunControl) => void
): Promise<BuildrumpOutcome> {
  await mkdir(request.dirs.obj, { recursive: true })
  await mkdir(request.dirs.dest, { recursive: true })
  const runner = new BuildrumpRunner({
    script: request.script,
    cwd: request.dirs.obj,
    env: request.env,
    log: request.log,
    ui,
    killTree: async (pid, signal) => {
      await killTree(pid, signal, { runId: request.runId })
    }
  })
  let activeTracker: SuiteTracker | undefined
  onControl?.({
    stop: async reason => {
      // The test that runs when the overall timeout passes has made the run
      // overstay, which is what a hang is; a cancelled one stays not-run.
      const id = activeTracker?.current()
      if (reason === 'timeout' && activeTracker && id !== undefined) {
        activeTracker.markHung(
          id,
          'still running when the overall timeout passed',
          Date.now()
        )
      }
      await runner.stop(reason)
    }
  })

  const phases: PhaseTiming[] = []
  const buildErrors: BuildError[] = []
  let tests: TestResult[] = []
  let testsStarted = false
  let testsFailed = false

  for (const command of expandCommands(request.commands)) {
    const args = buildrumpArgs(
      request.dirs,
      request.jobs,
      request.userArgs,
      command
    )
    const tracker = new SuiteTracker()
    activeTracker = tracker
    const watch =
      command === 'tests'
        ? new TestWatch({
            arch: request.arch,
            runId: request.runId,
            testTimeoutMs: request.testTimeoutMs,
            backtraces: request.backtraces,
            tracker,
            ui,
            dirs: request.dirs
          })
        : undefined

    const result = await ui.group(`buildrump.sh ${command}`, async () => {
      ui.info(`Running ${[request.script, ...args].join(' ')}`)
      const invocation = await runner.invoke(command, args, tracker, watch)
      ui.info(
        `buildrump.sh ${command} ended with ${invocation.exitCode ?? invocation.signal} after ${formatDuration(invocation.durationMs)}`
      )
      return invocation
    })

    const summary = tracker.summary()
    buildErrors.push(...summary.buildErrors)
    if (command === 'tests') {
      tests = watch ? watch.decorate(tracker.results()) : tracker.results()
      testsStarted = summary.suiteStarted
    }
    const ok = result.exitCode === 0
    phases.push({ name: command, durationMs: result.durationMs, ok })

    if (result.stopped) {
      return {
        phases,
        tests,
        buildErrors,
        stopped: result.stopped,
        testsStarted
      }
    }
    if (ok) continue
    // A failed test phase still produced its results; anything else that
    // failed leaves nothing for later commands to work on.
    if (command === 'tests' && summary.suiteStarted) {
      testsFailed = true
      continue
    }
    const message =
      summary.die ??
      `exited with ${result.exitCode ?? result.signal} and printed no ">> ERROR:" message; the end of the log shows the cause`
    return {
      phases,
      tests,
      buildErrors,
      failure: { command, message },
      testsStarted
    }
  }
  return { phases, tests, buildErrors, testsStarted, testsFailed }
}
