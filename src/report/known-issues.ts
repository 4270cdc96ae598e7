// Matches test results against the `known-issues` input, so that expected
// results are reported but do not fail the step.
import { findSuiteTest } from '../buildrump/suite.js'
import type { KnownIssue, KnownIssueKind } from '../inputs.js'
import type { TestOutcome, TestResult } from '../results.js'

/** Test outcome that each kind of known issue matches. */
export const KNOWN_ISSUE_OUTCOMES: Readonly<
  Record<KnownIssueKind, TestOutcome>
> = { hang: 'hung', fail: 'failed', crash: 'crashed' }

/**
 * Outcomes of a test that did not work, worst first: a hang costs the most
 * time and hides what comes after it. Only these can be known issues.
 */
export const PROBLEM_OUTCOMES: readonly TestOutcome[] = [
  'hung',
  'crashed',
  'failed'
]

export interface KnownIssueMatch {
  /** Failed, hung or crashed results that no known issue lists. */
  readonly unexpected: TestResult[]
  /** Failed, hung or crashed results that a known issue lists. */
  readonly expected: TestResult[]
  /** Known issues whose test passed in this run. */
  readonly nowPassing: KnownIssue[]
  /** Test names of known issues that match no test of the suite. */
  readonly unknownNames: string[]
}

export function isProblem(outcome: TestOutcome): boolean {
  return PROBLEM_OUTCOMES.includes(outcome)
}

/** Compares two problem results for sorting, worst first. */
export function byProblemRank(a: TestResult, b: TestResult): number {
  return (
    PROBLEM_OUTCOMES.indexOf(a.outcome) - PROBLEM_OUTCOMES.indexOf(b.outcome)
  )
}

/** Finds the result a known issue names, by suite id or printed title. */
function findResult(
  tests: readonly TestResult[],
  name: string
): TestResult | undefined {
  const id = findSuiteTest(name)?.id
  if (id !== undefined) return tests.find(test => test.id === id)
  // Results of a test that is not in the suite table (a newer buildrump.sh)
  // can still be named by their own id or title.
  const key = name.trim().toLowerCase()
  return tests.find(
    test => test.id.toLowerCase() === key || test.title.toLowerCase() === key
  )
}

function namesAnyTest(tests: readonly TestResult[], name: string): boolean {
  return (
    findSuiteTest(name) !== undefined || findResult(tests, name) !== undefined
  )
}

/**
 * Marks the results that `known` lists as expected and sorts the problems
 * into expected and unexpected ones. Sets `expected: true` on each matching
 * result and removes a stale `expected` from every other result.
 *
 * A known issue matches only its own kind: a test listed as `hang` that
 * crashes is unexpected. Names that match no test are returned in
 * `unknownNames`, so the caller can warn about them.
 */
export function applyKnownIssues(
  tests: TestResult[],
  known: readonly KnownIssue[]
): KnownIssueMatch {
  const listed = new Set<TestResult>()
  const nowPassing: KnownIssue[] = []
  const unknownNames: string[] = []

  for (const issue of known) {
    if (!namesAnyTest(tests, issue.test)) {
      if (!unknownNames.includes(issue.test)) unknownNames.push(issue.test)
      continue
    }
    const result = findResult(tests, issue.test)
    if (result === undefined) continue
    if (result.outcome === 'passed') nowPassing.push(issue)
    if (result.outcome === KNOWN_ISSUE_OUTCOMES[issue.kind]) listed.add(result)
  }

  const unexpected: TestResult[] = []
  const expected: TestResult[] = []
  for (const test of tests) {
    if (listed.has(test)) {
      test.expected = true
      expected.push(test)
      continue
    }
    delete test.expected
    if (isProblem(test.outcome)) unexpected.push(test)
  }
  return { unexpected, expected, nowPassing, unknownNames }
}

/** Lists the known issues that name a test which passed in this run. */
export function findNowPassing(
  tests: readonly TestResult[],
  known: readonly KnownIssue[]
): KnownIssue[] {
  return known.filter(
    issue => findResult(tests, issue.test)?.outcome === 'passed'
  )
}
