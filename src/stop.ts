// The stop switch of a run: a cancelled job (SIGINT or SIGTERM from the
// runner) and the overall timeout both end the run through it.
import { type RunControl } from './buildrump/index.js'
import { type StopReason } from './buildrump/run.js'
import { formatDuration } from './duration.js'
import { UserError } from './errors.js'
import { type Ui } from './ui.js'

/**
 * Stops the run on SIGINT or SIGTERM (a cancelled job) and when the overall
 * timeout passes. A stop before buildrump.sh starts ends the run at the next
 * step; a stop during it ends its whole process tree.
 */
export class StopSwitch {
  reason?: StopReason
  private control?: RunControl
  private timer?: NodeJS.Timeout
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.ui.warning(
      `Received ${signal}: stopping the run and writing the report`
    )
    void this.stop('cancelled')
  }

  constructor(
    private readonly ui: Ui,
    timeoutMs: number
  ) {
    process.on('SIGINT', this.onSignal)
    process.on('SIGTERM', this.onSignal)
    if (timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.ui.warning(
          `The run passed its timeout of ${formatDuration(timeoutMs)}: stopping it and writing the report`
        )
        void this.stop('timeout')
      }, timeoutMs)
    }
  }

  attach(control: RunControl): void {
    this.control = control
    if (this.reason) void control.stop(this.reason)
  }

  /** Throws when a stop was requested, so that no new step starts. */
  check(): void {
    if (this.reason) {
      throw new UserError(
        this.reason === 'timeout'
          ? 'The run passed its timeout before buildrump.sh started. Raise the timeout input.'
          : 'The run was cancelled before buildrump.sh started.'
      )
    }
  }

  async stop(reason: StopReason): Promise<void> {
    this.reason ??= reason
    await this.control?.stop(reason)
  }

  dispose(): void {
    process.off('SIGINT', this.onSignal)
    process.off('SIGTERM', this.onSignal)
    if (this.timer) clearTimeout(this.timer)
  }
}
