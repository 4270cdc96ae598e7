import { afterEach, describe, expect, it, jest } from '@jest/globals'
import {
  MAX_ANNOTATION_BYTES,
  annotate,
  workspacePath
} from '../src/report/annotations.js'
import type { BuildError, TestResult } from '../src/results.js'
import { ActionUi } from '../src/ui.js'
import {
  RecordingUi,
  makeReport,
  makeTest,
  suiteWith
} from './fixtures/reports/helpers.js'

const workspace = '/home/runner/work/buildrump.sh/buildrump.sh'
const srcPath = `${workspace}/src`

function hungTest(fields: Partial<TestResult> = {}): TestResult {
  return makeTest('nettest_routed', 'hung', {
    reason: 'no output for 5 min 00 s',
    output: ['Routed IPv4 networking test ... '],
    backtraces: [
      {
        program: 'nettest_routed',
        core: `${workspace}/obj/qemu_nettest_routed.core`,
        text: '#0  rumpuser_cv_wait () at rumpuser_pth.c:512\n#1  main ()'
      }
    ],
    ...fields
  })
}

function buildError(n: number, fields: Partial<BuildError> = {}): BuildError {
  return {
    file: `${srcPath}/sys/rump/librump/file${n}.c`,
    line: 10 + n,
    column: 5,
    message: `error: problem ${n}`,
    logLine: 100 + n,
    ...fields
  }
}

function run(report = makeReport(), options = {}) {
  const ui = new RecordingUi()
  const counts = annotate(report, ui, { workspace, srcPath, ...options })
  return { ui, counts }
}

describe('annotate tests', () => {
  it('titles an unexpected hang', () => {
    const { ui } = run(
      makeReport({ outcome: 'hung', tests: suiteWith(hungTest()) })
    )

    expect(ui.of('error')[0].annotation?.title).toBe(
      'powerpc: nettest_routed hung'
    )
  })

  it('body has reason, output, backtrace', () => {
    const { ui } = run(
      makeReport({ outcome: 'hung', tests: suiteWith(hungTest()) })
    )
    const body = ui.of('error')[0].message

    expect(body).toContain('no output for 5 min 00 s')
    expect(body).toContain('Routed IPv4 networking test ...')
    expect(body).toContain('Backtrace of nettest_routed:')
    expect(body).toContain('rumpuser_cv_wait')
  })

  it('keeps the last lines of long output', () => {
    const output = Array.from({ length: 500 }, (_, i) => `line ${i}`)
    const { ui } = run(
      makeReport({
        outcome: 'failed',
        tests: suiteWith(makeTest('init', 'failed', { output }))
      })
    )
    const body = ui.of('error')[0].message

    expect(body).toContain('line 499')
    expect(body).not.toContain('line 10\n')
  })

  it('warns about an expected hang', () => {
    const tests = suiteWith(hungTest({ expected: true }))
    const { ui, counts } = run(makeReport({ tests }))

    expect(counts.errors).toBe(0)
    expect(ui.of('warning')[0].annotation?.title).toBe(
      'powerpc: nettest_routed hung (known issue)'
    )
  })

  it('notes a known issue that now passes', () => {
    const { ui } = run(
      makeReport({ knownIssues: [{ test: 'fstest', kind: 'hang' }] })
    )
    const notice = ui.of('notice')[0]

    expect(notice.annotation?.title).toBe('powerpc: fstest passes')
    expect(notice.message).toContain('Remove the line from known-issues')
  })

  it('ranks hung, crashed, failed, then build errors', () => {
    const tests = suiteWith(
      makeTest('init', 'failed'),
      makeTest('fstest', 'crashed'),
      hungTest()
    )
    const { ui } = run(
      makeReport({
        outcome: 'hung',
        tests,
        buildErrors: [buildError(2), buildError(1)]
      })
    )
    const titles = ui.of('error').map(call => call.annotation?.title)

    expect(titles).toEqual([
      'powerpc: nettest_routed hung',
      'powerpc: fstest crashed',
      'powerpc: init failed',
      'powerpc: build error',
      'powerpc: build error'
    ])
    expect(ui.of('error')[3].message).toBe('error: problem 1')
  })

  it('emits nothing for a clean run', () => {
    const { counts } = run()

    expect(counts).toEqual({ errors: 0, warnings: 0, notices: 0 })
  })
})

describe('annotate build errors', () => {
  it('links a file inside the workspace', () => {
    const { ui } = run(
      makeReport({ outcome: 'build-failed', buildErrors: [buildError(1)] })
    )
    const annotation = ui.of('error')[0].annotation

    expect(annotation?.file).toBe('src/sys/rump/librump/file1.c')
    expect(annotation?.startLine).toBe(11)
    expect(annotation?.startColumn).toBe(5)
  })

  it('resolves a relative file against srcPath', () => {
    const error = buildError(1, { file: 'sys/net/if.c' })
    const { ui } = run(
      makeReport({ outcome: 'build-failed', buildErrors: [error] })
    )

    expect(ui.of('error')[0].annotation?.file).toBe('src/sys/net/if.c')
  })

  it('names outside file in message', () => {
    const error = buildError(1, {
      file: '/usr/include/stdio.h',
      line: 7,
      column: 2
    })
    const { ui } = run(
      makeReport({ outcome: 'build-failed', buildErrors: [error] })
    )
    const call = ui.of('error')[0]

    expect(call.annotation?.file).toBeUndefined()
    expect(call.message).toBe('/usr/include/stdio.h:7:2: error: problem 1')
  })

  it('skips sibling folder with same prefix', () => {
    expect(
      workspacePath(`${workspace}-old/a.c`, workspace, srcPath)
    ).toBeUndefined()
  })

  it('does not link without a workspace', () => {
    expect(workspacePath(`${srcPath}/a.c`, undefined, srcPath)).toBeUndefined()
  })

  it('skips relative file without srcPath', () => {
    expect(workspacePath('a.c', workspace, undefined)).toBeUndefined()
  })
})

describe('annotate limits', () => {
  const fifteen = Array.from({ length: 15 }, (_, i) =>
    makeTest(`extra_${String(i).padStart(2, '0')}`, 'failed')
  )

  it('caps 15 failures at 10 errors', () => {
    const { ui } = run(makeReport({ outcome: 'failed', tests: fifteen }), {
      maxErrors: 10
    })

    expect(ui.of('error')).toHaveLength(10)
  })

  it('folds the rest into the last error', () => {
    const { ui } = run(makeReport({ outcome: 'failed', tests: fifteen }), {
      maxErrors: 10
    })
    const last = ui.of('error')[9]

    expect(last.message).toMatch(/^and 6 more: extra_09 failed, /)
    expect(last.message).toContain('extra_14 failed')
    expect(last.annotation?.title).toBe('powerpc: 6 more')
  })

  it('reserves one error by default', () => {
    const { ui, counts } = run(
      makeReport({ outcome: 'failed', tests: fifteen })
    )

    expect(counts.errors).toBe(9)
    expect(ui.of('error')[8].message).toMatch(/^and 7 more: /)
  })

  it('does not fold when everything fits', () => {
    const { ui } = run(
      makeReport({ outcome: 'failed', tests: fifteen.slice(0, 9) })
    )

    expect(ui.of('error').every(call => !call.message.startsWith('and '))).toBe(
      true
    )
  })

  it('caps expected results at 10 warnings', () => {
    const expected = fifteen.map(test => ({ ...test, expected: true }))
    const { ui } = run(makeReport({ tests: expected }))

    expect(ui.of('warning')).toHaveLength(10)
    expect(ui.of('warning')[9].message).toMatch(/^and 6 more: /)
  })

  it('keeps each body under 4 KB', () => {
    const output = Array.from({ length: 50 }, () => 'é'.repeat(400))
    const text = Array.from(
      { length: 200 },
      (_, i) => `#${i} ${'x'.repeat(190)}`
    ).join('\n')
    const test = hungTest({
      reason: 'r'.repeat(5000),
      output,
      backtraces: [
        { program: 'a', core: 'a.core', text },
        { program: 'b', core: 'b.core', text }
      ]
    })
    const error = buildError(1, {
      message: 'm'.repeat(10_000),
      file: '/elsewhere/x.c'
    })
    const { ui } = run(
      makeReport({
        outcome: 'hung',
        tests: suiteWith(test),
        buildErrors: [error]
      })
    )

    for (const call of ui.of('error')) {
      expect(Buffer.byteLength(call.message)).toBeLessThanOrEqual(
        MAX_ANNOTATION_BYTES
      )
    }
  })

  it('marks a cut body', () => {
    const error = buildError(1, { message: 'm'.repeat(10_000) })
    const { ui } = run(
      makeReport({ outcome: 'build-failed', buildErrors: [error] })
    )

    expect(ui.of('error')[0].message).toMatch(/\[cut to stay under 4 KB; .*\]$/)
  })
})

describe('annotate through ActionUi', () => {
  afterEach(() => {
    jest.restoreAllMocks()
  })

  it('test output cannot issue workflow commands', () => {
    const written: string[] = []
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      written.push(String(chunk))
      return true
    })
    const test = makeTest('init', 'failed', {
      reason: 'x\n::error::reason command',
      output: ['::add-mask::secret', '::error title=fake::output command', 'ok']
    })
    annotate(
      makeReport({ outcome: 'failed', tests: suiteWith(test) }),
      new ActionUi(),
      {
        workspace
      }
    )
    const lines = written
      .join('')
      .split('\n')
      .filter(line => line.startsWith('::'))

    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^::error title=powerpc%3A init failed::/)
  })
})
