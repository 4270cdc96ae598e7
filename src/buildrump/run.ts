// Runs buildrump.sh invocations as child processes: streams their output to
// the log file, the UI and the suite tracker, and lets the watchdog act on
// hung tests. One instance serves one run of the action.
import { spawn } from 'node:child_process'
import { type WriteStream } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Ui } from '../ui.js'
import { type SuiteTracker, type TrackerEvent } from './parser.js'

export type StopReason = 'timeout' | 'cancelled'

/** Time the observer gets to finish its work when the run was stopped. */
const STOPPED_OBSERVER_MS = 2000

/** Time the output pipes get to close after the process tree ended. */
const PIPE_DRAIN_MS = 2000

/** Waits for the child's pipes to close, or destroys them after timeoutMs. */
async function drained(
  child: ReturnType<typeof spawn>,
  timeoutMs: number
): Promise<void> {
  const streams = [child.stdout, child.stderr].filter(
    (stream): stream is NonNullable<typeof stream> => stream !== null
  )
  await Promise.all(
    streams.map(
      stream =>
        new Promise<void>(resolve => {
          if (stream.destroyed || stream.readableEnded) return resolve()
          const timer = setTimeout(() => {
            stream.destroy()
            resolve()
          }, timeoutMs)
          stream.once('close', () => {
            clearTimeout(timer)
            resolve()
          })
        })
    )
  )
}

export interface InvocationResult {
  readonly command: string
  readonly argv: readonly string[]
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  readonly durationMs: number
  /** Set when the overall timeout or a cancellation ended the process. */
  readonly stopped?: StopReason
}

/** Receiver of the runner's events: the watchdog and the crash collector. */
export interface TestObserver {
  started(pid: number): void
  event(event: TrackerEvent): void
  progress(): void
  finished(): Promise<void>
}

export interface RunnerOptions {
  readonly script: string
  readonly cwd: string
  readonly env: NodeJS.ProcessEnv
  readonly log: WriteStream
  readonly ui: Ui
  /** Ends every process of the run; called on timeout and cancellation. */
  readonly killTree: (pid: number, signal: NodeJS.Signals) => Promise<void>
}

export class BuildrumpRunner {
  private child?: ReturnType<typeof spawn>
  private stopReason?: StopReason

  constructor(private readonly options: RunnerOptions) {}

  /** Reason the run was stopped, if it was. */
  get stopped(): StopReason | undefined {
    return this.stopReason
  }

  /**
   * Ends the running invocation and every process it started, and makes
   * later invocations return at once.
   */
  async stop(reason: StopReason): Promise<void> {
    this.stopReason ??= reason
    const child = this.child
    if (child?.pid !== undefined && child.exitCode === null) {
      await this.options.killTree(child.pid, 'SIGTERM')
    }
  }

  /** Runs one buildrump.sh command; its output goes to a fresh tracker. */
  async invoke(
    command: string,
    args: readonly string[],
    tracker: SuiteTracker,
    observer?: TestObserver
  ): Promise<InvocationResult> {
    const { script, cwd, env, log, ui } = this.options
    const argv = [script, ...args]
    const started = Date.now()
    if (this.stopReason) {
      return {
        command,
        argv,
        exitCode: null,
        signal: null,
        durationMs: 0,
        stopped: this.stopReason
      }
    }

    log.write(`\n### rump-cross: ${argv.join(' ')}\n`)
    // The shell only raises the core size limit (qemu writes guest cores
    // only when it allows them), joins stderr to stdout so that the two
    // keep their order, and replaces itself with buildrump.sh. The arguments
    // reach it as "$@" and are never parsed by the shell.
    const child = spawn(
      'sh',
      [
        '-c',
        'ulimit -c unlimited 2>/dev/null; exec "$@" 2>&1',
        'rump-cross',
        ...argv
      ],
      { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }
    )
    this.child = child
    if (child.pid !== undefined) observer?.started(child.pid)

    const decoder = {
      stdout: new StringDecoder('utf8'),
      stderr: new StringDecoder('utf8')
    }
    const handle = (text: string): void => {
      if (text === '') return
      log.write(text)
      observer?.progress()
      this.forward(tracker.feed(text, Date.now()), ui, observer)
    }
    child.stdout?.on('data', (data: Buffer) =>
      handle(decoder.stdout.write(data))
    )
    child.stderr?.on('data', (data: Buffer) =>
      handle(decoder.stderr.write(data))
    )

    const { exitCode, signal } = await new Promise<{
      exitCode: number | null
      signal: NodeJS.Signals | null
    }>((resolve, reject) => {
      child.on('error', reject)
      child.on('exit', (code, sig) => resolve({ exitCode: code, signal: sig }))
    })
    // A daemon a test left behind keeps the output pipes open, so 'close'
    // would never come. Nothing of an invocation may outlive it: end what is
    // left, then give the pipes a moment to drain.
    if (child.pid !== undefined)
      await this.options.killTree(child.pid, 'SIGTERM')
    await drained(child, PIPE_DRAIN_MS)
    handle(decoder.stdout.end())
    handle(decoder.stderr.end())
    this.forward(
      tracker.end(
        Date.now(),
        this.stopReason === 'cancelled'
          ? 'the run was cancelled while the test ran'
          : undefined
      ),
      ui,
      observer
    )
    // A stopped run has seconds left before the runner kills it: backtraces
    // still being collected then are given up.
    const finished = observer?.finished()
    await (this.stopReason
      ? Promise.race([finished, sleep(STOPPED_OBSERVER_MS)])
      : finished)
    this.child = undefined

    const durationMs = Date.now() - started
    log.write(
      `### rump-cross: exit ${exitCode ?? signal} after ${durationMs} ms\n`
    )
    return {
      command,
      argv,
      exitCode,
      signal,
      durationMs,
      stopped: this.stopReason
    }
  }

  private forward(
    events: TrackerEvent[],
    ui: Ui,
    observer?: TestObserver
  ): void {
    const lines: string[] = []
    for (const event of events) {
      if (event.type === 'line') lines.push(event.text)
      else observer?.event(event)
    }
    ui.output(lines)
  }
}
