import { describe, expect, it } from '@jest/globals'
import { applyKnownIssues, findNowPassing } from '../src/report/known-issues.js'
import { runOutcome } from '../src/report/outcome.js'
import { makeTest, suiteWith } from './fixtures/reports/helpers.js'

function outcomeOf(tests: ReturnType<typeof suiteWith>) {
  return runOutcome({ tests, buildErrors: [], suiteStarted: true })
}

describe('applyKnownIssues', () => {
  it('marks a listed hang as expected', () => {
    const tests = suiteWith(makeTest('nettest_routed', 'hung'))
    const match = applyKnownIssues(tests, [
      { test: 'nettest_routed', kind: 'hang' }
    ])
    const routed = tests.find(t => t.id === 'nettest_routed')

    expect(routed?.expected).toBe(true)
    expect(match.expected.map(t => t.id)).toEqual(['nettest_routed'])
    expect(match.unexpected).toEqual([])
  })

  it('expected hang passes the step', () => {
    const tests = suiteWith(makeTest('nettest_routed', 'hung'))
    applyKnownIssues(tests, [{ test: 'nettest_routed', kind: 'hang' }])

    expect(outcomeOf(tests)).toBe('passed')
  })

  it('unexpected crash fails the step', () => {
    const tests = suiteWith(
      makeTest('nettest_routed', 'hung'),
      makeTest('simpleclient', 'crashed')
    )
    const match = applyKnownIssues(tests, [
      { test: 'nettest_routed', kind: 'hang' }
    ])

    expect(match.unexpected.map(t => t.id)).toEqual(['simpleclient'])
    expect(outcomeOf(tests)).toBe('crashed')
  })

  it.each([
    ['Routed IPv4 networking test ...'],
    ['Routed IPv4 networking test'],
    ['routed ipv4 NETWORKING test'],
    ['  nettest_routed  ']
  ])('matches the test named %j', name => {
    const tests = suiteWith(makeTest('nettest_routed', 'failed'))
    const match = applyKnownIssues(tests, [{ test: name, kind: 'fail' }])

    expect(match.expected.map(t => t.id)).toEqual(['nettest_routed'])
  })

  it.each([
    ['hang', 'hung'],
    ['fail', 'failed'],
    ['crash', 'crashed']
  ] as const)('maps kind %s to outcome %s', (kind, outcome) => {
    const tests = suiteWith(makeTest('fstest', outcome))
    const match = applyKnownIssues(tests, [{ test: 'fstest', kind }])

    expect(match.expected).toHaveLength(1)
  })

  it('keeps a crash listed as hang unexpected', () => {
    const tests = suiteWith(makeTest('fstest', 'crashed'))
    const match = applyKnownIssues(tests, [{ test: 'fstest', kind: 'hang' }])

    expect(match.unexpected.map(t => t.id)).toEqual(['fstest'])
    expect(match.expected).toEqual([])
    expect(tests.find(t => t.id === 'fstest')?.expected).toBeUndefined()
  })

  it('reports a known issue that now passes', () => {
    const tests = suiteWith()
    const match = applyKnownIssues(tests, [{ test: 'VFS test', kind: 'hang' }])

    expect(match.nowPassing).toEqual([{ test: 'VFS test', kind: 'hang' }])
    expect(match.unknownNames).toEqual([])
  })

  it('reports an unknown test name once', () => {
    const tests = suiteWith()
    const match = applyKnownIssues(tests, [
      { test: 'nettest_bogus', kind: 'hang' },
      { test: 'nettest_bogus', kind: 'fail' }
    ])

    expect(match.unknownNames).toEqual(['nettest_bogus'])
    expect(match.nowPassing).toEqual([])
  })

  it('matches a test outside the suite table', () => {
    const tests = [...suiteWith(), makeTest('nettest_new', 'failed')]
    const match = applyKnownIssues(tests, [
      { test: 'nettest_new', kind: 'fail' }
    ])

    expect(match.unknownNames).toEqual([])
    expect(match.expected.map(t => t.id)).toEqual(['nettest_new'])
  })

  it('ignores issue of unrun test', () => {
    const tests = suiteWith(makeTest('fstest', 'not-run'))
    const match = applyKnownIssues(tests, [{ test: 'fstest', kind: 'hang' }])

    expect(match.nowPassing).toEqual([])
    expect(match.unknownNames).toEqual([])
    expect(match.expected).toEqual([])
  })

  it('clears a stale expected flag', () => {
    const tests = suiteWith(makeTest('fstest', 'failed', { expected: true }))
    const match = applyKnownIssues(tests, [])

    expect(tests.find(t => t.id === 'fstest')?.expected).toBeUndefined()
    expect(match.unexpected.map(t => t.id)).toEqual(['fstest'])
  })

  it('leaves skipped and passed tests out', () => {
    const match = applyKnownIssues(suiteWith(), [])

    expect(match.unexpected).toEqual([])
    expect(match.expected).toEqual([])
  })
})

describe('findNowPassing', () => {
  it('lists issues whose test passed', () => {
    const tests = suiteWith(makeTest('fstest', 'hung'))
    const known = [
      { test: 'fstest', kind: 'hang' },
      { test: 'init', kind: 'crash' },
      { test: 'dynamic', kind: 'fail' }
    ] as const

    expect(findNowPassing(tests, known)).toEqual([
      { test: 'init', kind: 'crash' }
    ])
  })
})
