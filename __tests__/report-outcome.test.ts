import { describe, expect, it } from '@jest/globals'
import { countOutcomes, runOutcome } from '../src/report/outcome.js'
import type { BuildError } from '../src/results.js'
import { makeTest, suiteWith } from './fixtures/reports/helpers.js'

const compilerError: BuildError = {
  file: 'sys/rump/librump/rumpkern/emul.c',
  line: 212,
  message: 'implicit declaration of function',
  logLine: 480
}

describe('countOutcomes', () => {
  it('counts every outcome, zeros included', () => {
    const counts = countOutcomes(
      suiteWith(makeTest('fstest', 'hung'), makeTest('init', 'failed'))
    )

    expect(counts).toEqual({
      passed: 6,
      failed: 1,
      hung: 1,
      crashed: 0,
      skipped: 1,
      'not-run': 0
    })
  })

  it('counts an empty suite as zeros', () => {
    expect(Object.values(countOutcomes([]))).toEqual([0, 0, 0, 0, 0, 0])
  })
})

describe('runOutcome', () => {
  it('setup failure wins over everything', () => {
    const outcome = runOutcome({
      setupFailed: true,
      buildFailed: true,
      suiteStarted: false,
      buildErrors: [compilerError],
      tests: []
    })

    expect(outcome).toBe('setup-failed')
  })

  it('buildrump.sh dying before the suite is build-failed', () => {
    const outcome = runOutcome({
      buildFailed: true,
      suiteStarted: false,
      buildErrors: [],
      tests: []
    })

    expect(outcome).toBe('build-failed')
  })

  it('error-like lines of a successful build do not fail it', () => {
    const outcome = runOutcome({
      suiteStarted: false,
      buildErrors: [compilerError],
      tests: []
    })

    expect(outcome).toBe('passed')
  })

  it('a build without tests passes', () => {
    const outcome = runOutcome({
      suiteStarted: false,
      buildErrors: [],
      tests: []
    })

    expect(outcome).toBe('passed')
  })

  it.each([
    [['failed', 'crashed', 'hung'], 'hung'],
    [['failed', 'crashed'], 'crashed'],
    [['failed'], 'failed'],
    [[], 'passed']
  ] as const)('problems %j give %s', (problems, expected) => {
    const ids = ['init', 'fstest', 'fstest_img']
    const tests = suiteWith(
      ...problems.map((outcome, i) => makeTest(ids[i], outcome))
    )

    expect(runOutcome({ suiteStarted: true, buildErrors: [], tests })).toBe(
      expected
    )
  })

  it('expected problems do not count', () => {
    const tests = suiteWith(
      makeTest('fstest', 'hung', { expected: true }),
      makeTest('init', 'failed')
    )

    expect(runOutcome({ suiteStarted: true, buildErrors: [], tests })).toBe(
      'failed'
    )
  })

  it('cancelled suite fails', () => {
    const tests = suiteWith(
      makeTest('nettest_routed6', 'not-run'),
      makeTest('dynamic', 'not-run')
    )
    const outcome = runOutcome({
      suiteStarted: true,
      stopped: 'cancelled',
      buildErrors: [],
      tests
    })

    expect(outcome).toBe('failed')
  })

  it('only expected failures with a failing test command pass', () => {
    // testrump.sh exits non-zero for any failed test, expected or not.
    const tests = suiteWith(makeTest('fstest', 'failed', { expected: true }))
    const outcome = runOutcome({
      suiteStarted: true,
      testsFailed: true,
      buildErrors: [],
      tests
    })

    expect(outcome).toBe('passed')
  })

  it('failing test command without a failed test fails', () => {
    const outcome = runOutcome({
      suiteStarted: true,
      testsFailed: true,
      buildErrors: [],
      tests: suiteWith()
    })

    expect(outcome).toBe('failed')
  })

  it('command failing after the tests is build-failed', () => {
    const outcome = runOutcome({
      suiteStarted: true,
      buildFailed: true,
      buildErrors: [],
      tests: suiteWith()
    })

    expect(outcome).toBe('build-failed')
  })

  it('unexpected test problem outranks a build failure', () => {
    const outcome = runOutcome({
      suiteStarted: true,
      buildFailed: true,
      buildErrors: [],
      tests: suiteWith(makeTest('fstest', 'crashed'))
    })

    expect(outcome).toBe('crashed')
  })
})
