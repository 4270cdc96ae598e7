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
  /** buildrump.sh exited with an error or was killed. */
  readonly buildrumpFailed?: boolean
  /** The suite header (`Running simple tests`) was printed. */
  readonly suiteStarted: boolean
  readonly buildErrors: readonly BuildError[]
  /** Results after applyKnownIssues, so expected ones carry `expected`. */
  readonly tests: readonly TestResult[]
}

/**
 * Decides the outcome of a run. setup-failed comes first, then build-failed
 * when buildrump.sh failed before the suite started. Otherwise the worst unexpected test result wins, in the order hung,
 * crashed, failed. Expected results never fail a run.
 *
 * A suite that started but stopped with tests left not-run, while buildrump.sh
 * failed (the overall timeout, a cancelled job), is `failed` even when no
 * single test result explains it.
 */
export function runOutcome(facts: RunFacts): RunOutcome {
  if (facts.setupFailed) return 'setup-failed'
  // The exit status decides: a successful build may print lines that look
  // like errors (configure probes, warnings named after -Werror options).
  if (!facts.suiteStarted) {
    return facts.buildrumpFailed ? 'build-failed' : 'passed'
  }

  const unexpected = facts.tests.filter(test => !test.expected)
  for (const problem of PROBLEM_OUTCOMES) {
    if (unexpected.some(test => test.outcome === problem)) {
      return problem as RunOutcome
    }
  }
  const stoppedEarly = facts.tests.some(test => test.outcome === 'not-run')
  return facts.buildrumpFailed && stoppedEarly ? 'failed' : 'passed'
}
