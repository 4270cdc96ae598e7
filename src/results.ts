// Result types shared by the parser, the watchdog and the reporters.
import type { KnownIssue } from './inputs.js'

/** Outcome of one test of the buildrump.sh suite. */
export type TestOutcome =
  'passed' | 'failed' | 'hung' | 'crashed' | 'skipped' | 'not-run'

export const TEST_OUTCOMES: readonly TestOutcome[] = [
  'passed',
  'failed',
  'hung',
  'crashed',
  'skipped',
  'not-run'
]

/** Outcome of the whole run, as in the `outcome` output. */
export type RunOutcome =
  'passed' | 'failed' | 'hung' | 'crashed' | 'build-failed' | 'setup-failed'

/** A guest backtrace taken from a core file of one emulated process. */
export interface Backtrace {
  /** Guest program the core belongs to. */
  readonly program: string
  /** Path of the guest core, kept for the artifact. */
  readonly core: string
  /** gdb-multiarch output, or why it could not be produced. */
  readonly text: string
}

export interface TestResult {
  /** Test id as in testrump.sh's ALLTESTS, such as `fstest_img`. */
  readonly id: string
  /** Label the suite prints when the test starts. */
  readonly title: string
  outcome: TestOutcome
  /** Wall time from the start label to the end, in milliseconds. */
  durationMs?: number
  /** Reason the test did not pass, in one line. */
  reason?: string
  /** Last lines the test printed. */
  output: string[]
  backtraces: Backtrace[]
  /** Set when `known-issues` lists this result for the target. */
  expected?: boolean
}

/** A compiler or make error found in the build output. */
export interface BuildError {
  readonly file?: string
  readonly line?: number
  readonly column?: number
  readonly message: string
  /** Log line number (1-based) where the error was printed. */
  readonly logLine: number
}

export interface PhaseTiming {
  /** Such as `toolchain`, `host`, `build`, `tests`. */
  readonly name: string
  readonly durationMs: number
  readonly ok: boolean
}

export const REPORT_SCHEMA_VERSION = 1

/** The JSON report of one run; the schema lives in schema/report.schema.json. */
export interface RunReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION
  readonly arch: string
  readonly triple: string
  readonly netbsdMachine: string
  readonly qemuVersion?: string
  readonly toolchain?: {
    readonly path: string
    readonly cc: string
    readonly gccVersion?: string
    /** `toolchain-path`, `tool-cache`, `github-cache` or the download URL. */
    readonly source: string
    readonly cacheHit: boolean
  }
  readonly outcome: RunOutcome
  /** Reason the run did not pass, in one paragraph. */
  readonly error?: string
  readonly startedAt: string
  readonly durationMs: number
  readonly phases: readonly PhaseTiming[]
  readonly tests: readonly TestResult[]
  readonly counts: Readonly<Record<TestOutcome, number>>
  readonly buildErrors: readonly BuildError[]
  /** Path of the full log. */
  readonly log: string
  /** The `known-issues` input the results were matched against. */
  readonly knownIssues?: readonly KnownIssue[]
}
