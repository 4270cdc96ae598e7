// The stop switch of a run: a cancelled job (SIGINT or SIGTERM from the
// runner) and the overall timeout both end the run through it.
import { type RunControl } from './buildrump/index.js'
import { type StopReason } from './buildrump/run.js'
import { formatDuration } from './duration.js'
import { UserError } from './errors.js'
import { type Ui } from './ui.js'

/**
 * Stops the run on SIGINT or SIGTERM (a cancelled job) and when the overall
 * timeout passes. During buildrump.sh a stop ends its whole process tree.
 * Before it, the step under way is abandoned at once (see `race`) so that
 * the report is written within the few seconds a cancelled job has.
 * A second signal ends the process the default way.
 */
export class StopSwitch {
  reason?: StopReason
  /** Rejects with a UserError when a stop is requested. */
  readonly stopped: Promise<never>
  private reject!: (error: UserError) => void
  private control?: RunControl
  private timer?: NodeJS.Timeout
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.reason !== undefined) {
      this.dispose()
      process.kill(process.pid, signal)
      return
    }
    this.ui.warning(
      `Received ${signal}: stopping the run and writing the report`
    )
    void this.stop('cancelled')
  }

  constructor(
    private readonly ui: Ui,
    private readonly timeoutMs: number
  ) {
    this.stopped = new Promise<never>((_resolve, reject) => {
      this.reject = reject
    })
    // No step may be waiting on it when the stop comes; this handles the
    // rejection then.
    this.stopped.catch(() => undefined)
    process.on('SIGINT', this.onSignal)
    process.on('SIGTERM', this.onSignal)
    if (timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.ui.warning(
          `The run timed out after ${formatDuration(timeoutMs)}: stopping it and writing the report`
        )
        void this.stop('timeout')
      }, timeoutMs)
    }
  }

  attach(control: RunControl): void {
    this.control = control
    if (this.reason) void control.stop(this.reason)
  }

  /**
   * Returns the result of a setup step, or rejects as soon as a stop is
   * requested. An abandoned step may go on in the background (an apt-get
   * that is better not killed halfway); the caller exits when the report is
   * written.
   */
  race<T>(step: Promise<T>): Promise<T> {
    return Promise.race([step, this.stopped])
  }

  async stop(reason: StopReason): Promise<void> {
    if (this.reason) return
    this.reason = reason
    this.reject(
      new UserError(
        reason === 'timeout'
          ? `The run timed out after ${formatDuration(this.timeoutMs)}, before buildrump.sh started. Raise the timeout input.`
          : 'The run was cancelled before buildrump.sh started.'
      )
    )
    await this.control?.stop(reason)
  }

  dispose(): void {
    process.off('SIGINT', this.onSignal)
    process.off('SIGTERM', this.onSignal)
    if (this.timer) clearTimeout(this.timer)
  }
}
