import { describe, expect, it } from '@jest/globals'
import { SUMMARY_LIMIT_BYTES, renderSummary } from '../src/report/summary.js'
import type { TestResult } from '../src/results.js'
import { makeReport, makeTest, suiteWith } from './fixtures/reports/helpers.js'

/** Rows of the test table, which comes before the first details block. */
function tableRows(markdown: string): string[] {
  const top = markdown.split('<details')[0]
  return top.split('\n').filter(line => line.startsWith('| '))
}

/** Counts the pipes that GitHub reads as cell borders. */
function cellBorders(row: string): number {
  return row.replaceAll('\\\\', '').replaceAll('\\|', '').split('|').length - 1
}

const hostile = [
  'before',
  '</pre></details><script>alert(1)</script>',
  '| a | b |',
  '::error::injected',
  '```',
  '<!-- comment',
  '\u001b[31mred\u001b[0m'
]

function hostileTest(): TestResult {
  return makeTest('fstest', 'crashed', {
    reason: 'killed | by </details> SIGSEGV ::error::x',
    output: hostile,
    backtraces: [
      { program: 'fstest', core: 'c.core', text: hostile.join('\n') }
    ]
  })
}

describe('renderSummary header', () => {
  const markdown = renderSummary(makeReport())

  it('names arch and outcome', () => {
    expect(markdown).toContain('## rump-cross powerpc: passed')
  })

  it('shows triple and NetBSD machine', () => {
    expect(markdown).toContain(
      '- Target: powerpc-linux-musl, NetBSD machine evbppc'
    )
  })

  it('shows qemu version', () => {
    expect(markdown).toContain('- qemu-user: 8.2.2')
  })

  it('shows toolchain source and cache hit', () => {
    expect(markdown).toContain(
      '- Toolchain: github-cache, gcc 15.2.0, cache hit: yes'
    )
  })

  it('shows seconds per phase', () => {
    expect(markdown).toContain(
      '- Phases: toolchain 3.1 s, host 12.0 s, build 150.2 s, tests 19.7 s'
    )
  })
})

describe('renderSummary tests', () => {
  it('lists the nine suite tests', () => {
    const rows = tableRows(renderSummary(makeReport()))

    // The header row, its separator, then one row per test.
    expect(rows).toHaveLength(11)
  })

  it('shows outcome and duration', () => {
    const report = makeReport({
      outcome: 'hung',
      tests: suiteWith(makeTest('fstest', 'hung', { durationMs: 300_000 }))
    })

    expect(renderSummary(report)).toContain('| fstest | **hung** | 300.0 s |')
  })

  it('marks an expected result', () => {
    const tests = suiteWith(makeTest('fstest', 'hung', { expected: true }))

    expect(renderSummary(makeReport({ tests }))).toContain(
      '| fstest | hung (known issue) |'
    )
  })

  it('shows missing suite tests as not run', () => {
    const report = makeReport({ outcome: 'build-failed', tests: [] })
    const rows = tableRows(renderSummary(report)).slice(2)

    expect(rows.every(row => row.includes('| not run |'))).toBe(true)
  })

  it('puts a backtrace in a details block', () => {
    const test = makeTest('fstest', 'hung', {
      backtraces: [{ program: 'fstest', core: 'c.core', text: '#0  main ()' }]
    })
    const markdown = renderSummary(
      makeReport({ outcome: 'hung', tests: suiteWith(test) })
    )

    expect(markdown).toContain(
      '<details><summary>fstest hung: backtrace of fstest</summary>\n\n<pre>\n#0  main ()\n</pre>\n\n</details>'
    )
  })

  it('lists known issues that now pass', () => {
    const report = makeReport({
      knownIssues: [{ test: 'init', kind: 'crash' }]
    })

    expect(renderSummary(report)).toContain(
      '- init: crash: remove the line from known-issues.'
    )
  })

  it('shows log tail on failure', () => {
    const report = makeReport({ outcome: 'build-failed', tests: [] })
    const markdown = renderSummary(report, {
      logTail: ['>> ERROR:', '>> make failed']
    })

    expect(markdown).toContain(
      '<details open><summary>Last lines of the log</summary>'
    )
    expect(markdown).toContain('&gt;&gt; make failed')
  })

  it('omits log tail on success', () => {
    const markdown = renderSummary(makeReport(), { logTail: ['>> done'] })

    expect(markdown).not.toContain('Last lines of the log')
  })
})

describe('renderSummary escaping', () => {
  const markdown = renderSummary(
    makeReport({ outcome: 'crashed', tests: suiteWith(hostileTest()) })
  )

  it('closes each details block once', () => {
    const opened = markdown.split('<details').length - 1
    const closed = markdown.split('</details>').length - 1

    expect(closed).toBe(opened)
  })

  it('shows tags in output as text', () => {
    expect(markdown).toContain(
      '&lt;/pre&gt;&lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt;'
    )
    expect(markdown).not.toContain('<script>')
  })

  it('keeps every table row at four cells', () => {
    for (const row of tableRows(markdown)) {
      expect(cellBorders(row)).toBe(5)
    }
  })

  it('escapes a pipe in a reason', () => {
    expect(markdown).toContain('killed \\| by &lt;/details&gt; SIGSEGV')
  })

  it('starts no line with a workflow command', () => {
    const commands = markdown.split('\n').filter(line => line.startsWith('::'))

    expect(commands).toEqual([])
  })

  it('keeps the command text visible', () => {
    expect(markdown).toContain('&#58;:error::injected')
  })

  it('removes terminal escape sequences', () => {
    expect(markdown).not.toContain('\u001b')
  })
})

describe('renderSummary size', () => {
  const huge = Array.from(
    { length: 40_000 },
    (_, i) => `line ${i} ${'y'.repeat(60)}`
  )

  function hugeReport() {
    const tests = suiteWith(
      makeTest('fstest', 'hung', {
        output: huge,
        backtraces: [
          { program: 'fstest', core: 'c.core', text: huge.join('\n') }
        ]
      }),
      makeTest('init', 'failed', { output: huge })
    )
    return makeReport({ outcome: 'hung', tests })
  }

  it('stays under 1 MiB', () => {
    const markdown = renderSummary(hugeReport(), { logTail: huge })

    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES)
  })

  it('says where the full log is', () => {
    const markdown = renderSummary(hugeReport(), {
      logTail: huge,
      artifactName: 'rump-cross-powerpc'
    })

    expect(markdown).toContain(
      'The full log is /home/runner/work/\\_temp/rump-cross/powerpc/build.log in the artifact rump-cross-powerpc.'
    )
  })

  it('keeps the table when cut', () => {
    const markdown = renderSummary(hugeReport(), { logTail: huge })

    expect(tableRows(markdown)).toHaveLength(11)
  })

  it('keeps the head of a cut backtrace', () => {
    const markdown = renderSummary(hugeReport(), { maxBytes: 20_000 })

    expect(markdown).toContain('<pre>\nline 0 ')
  })

  it('respects a small budget', () => {
    const markdown = renderSummary(hugeReport(), { maxBytes: 20_000 })

    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(20_000)
  })

  it('has no note when nothing was cut', () => {
    expect(renderSummary(makeReport())).not.toContain('were cut')
  })

  it('fits budget below table size', () => {
    const markdown = renderSummary(hugeReport(), { maxBytes: 900 })

    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(900)
  })
})
