// The outcome of a whole run, for the `outcome` output and the report.
import {
  type BuildError,
  type RunOutcome,
  TEST_OUTCOMES,
  type TestOutcome,
  type TestResult
} from '../results.js'
import { PROBLEM_OUTCOMES } from './known-issues.js'

/** Counts the results of each outcome; every outcome has a count. */
export function countOutcomes(
  tests: readonly TestResult[]
): Record<TestOutcome, number> {
  const counts = Object.fromEntries(
    TEST_OUTCOMES.map(outcome => [outcome, 0])
  ) as Record<TestOutcome, number>
  for (const test of tests) counts[test.outcome]++
  return counts
}

/** Progress of a run, as the orchestration recorded it. */
export interface RunFacts {
  /** An error stopped the run before buildrump.sh was started. */
  readonly setupFailed?: boolean
  /** A buildrump.sh command other than `tests` failed. */
  readonly buildFailed?: boolean
  /** The `tests` command exited with an error. */
  readonly testsFailed?: boolean
  /** The overall timeout or a cancelled job ended buildrump.sh. */
  readonly stopped?: 'timeout' | 'cancelled'
  /** The suite header (`Running simple tests`) was printed. */
  readonly suiteStarted: boolean
  readonly buildErrors: readonly BuildError[]
  /** Results after applyKnownIssues, so expected ones carry `expected`. */
  readonly tests: readonly TestResult[]
}

/**
 * Decides the outcome of a run: setup-failed first, then the worst
 * unexpected test result in the order hung, crashed, failed, then
 * build-failed when a buildrump.sh command failed. A run that was stopped,
 * or whose test command failed without any test result to explain it, is
 * failed. Expected results never fail a run.
 *
 * The exit status decides about the build, not the error-like lines it
 * printed: a successful build may print lines that look like errors
 * (configure probes, warnings named after -Werror options).
 */
export function runOutcome(facts: RunFacts): RunOutcome {
  if (facts.setupFailed) return 'setup-failed'

  const unexpected = facts.tests.filter(test => !test.expected)
  for (const problem of PROBLEM_OUTCOMES) {
    if (unexpected.some(test => test.outcome === problem)) {
      return problem as RunOutcome
    }
  }
  if (facts.buildFailed) return 'build-failed'
  if (facts.stopped) return 'failed'
  // testrump.sh exits non-zero for every failed test, expected ones too.
  const explained = facts.tests.some(test =>
    PROBLEM_OUTCOMES.includes(test.outcome)
  )
  if (facts.testsFailed && !explained) return 'failed'
  return 'passed'
}
