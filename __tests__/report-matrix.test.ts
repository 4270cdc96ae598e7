import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  type CollectedReport,
  collectReports,
  hasUnexpected,
  isWorking,
  renderMatrix
} from '../src/report/matrix.js'
import {
  RecordingUi,
  makeReport,
  makeTest,
  suiteWith
} from './fixtures/reports/helpers.js'

const fixtures = fileURLToPath(
  new URL('./fixtures/reports/matrix', import.meta.url)
)

let dir: string
let ui: RecordingUi
let collected: CollectedReport[]

beforeAll(async () => {
  // A copy, so a file that is not JSON can sit beside the fixtures without
  // breaking the formatter's check of the repository.
  dir = await mkdtemp(path.join(os.tmpdir(), 'report-matrix-'))
  await cp(fixtures, dir, { recursive: true })
  await writeFile(
    path.join(dir, 'broken.json'),
    '{"schemaVersion": 1, "arch": "sparc", "tests": [\n'
  )
  ui = new RecordingUi()
  collected = await collectReports(dir, ui)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function row(markdown: string, arch: string): string[] {
  const line = markdown.split('\n').find(l => l.startsWith(`| ${arch} |`)) ?? ''
  return line.split(' | ').map(cell => cell.replace(/^\| | \|$/g, ''))
}

describe('collectReports', () => {
  it('finds the valid reports, nested ones too', () => {
    expect(collected.map(c => c.report.arch)).toEqual([
      'aarch64',
      'armhf',
      'i686',
      'mips',
      'mipsel',
      'powerpc',
      'riscv64'
    ])
  })

  it('warns about unparsable JSON', () => {
    const warnings = ui.of('warning').map(call => call.message)

    expect(warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Report ${path.join(dir, 'broken.json')} is not valid JSON: .*\\. It is left out of the table\\.$`
        )
      )
    )
  })

  it('warns about a wrong field', () => {
    const warnings = ui.of('warning').map(call => call.message)

    expect(warnings).toContainEqual(
      expect.stringContaining(
        `${path.join(dir, 'bad-field.json')} is not a valid rump-cross report: tests.2.outcome`
      )
    )
  })

  it('warns about nothing else', () => {
    expect(ui.of('warning')).toHaveLength(2)
  })

  it('skips other JSON quietly', () => {
    const debug = ui.of('debug').map(call => call.message)

    expect(debug).toContainEqual(
      expect.stringContaining('package.json: it has no schemaVersion')
    )
  })

  it('keeps the later of two reports', async () => {
    const twice = await mkdtemp(path.join(os.tmpdir(), 'report-twice-'))
    const older = makeReport({
      startedAt: '2026-03-02T11:00:00+02:00',
      outcome: 'failed',
      tests: suiteWith(makeTest('init', 'failed'))
    })
    const newer = makeReport({ startedAt: '2026-03-02T10:00:00Z' })
    await writeFile(path.join(twice, 'a.json'), JSON.stringify(newer))
    await writeFile(path.join(twice, 'b.json'), JSON.stringify(older))
    const result = await collectReports(twice, new RecordingUi())
    await rm(twice, { recursive: true })

    expect(result.map(c => c.file)).toEqual([path.join(twice, 'a.json')])
  })

  it('fails on a missing folder', async () => {
    await expect(
      collectReports(path.join(dir, 'absent'), new RecordingUi())
    ).rejects.toThrow(/ENOENT/)
  })
})

describe('renderMatrix', () => {
  let markdown: string

  beforeAll(() => {
    markdown = renderMatrix(collected.map(c => c.report))
  })

  it('has one column per suite test', () => {
    expect(markdown).toContain(
      '| architecture | run | init | fstest | fstest\\_img | simpleclient | nettest\\_simple | nettest\\_simple6 | nettest\\_routed | nettest\\_routed6 | dynamic |'
    )
  })

  it('shows a passing architecture', () => {
    expect(row(markdown, 'armhf').slice(1)).toEqual([
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
      'skipped'
    ])
  })

  it('marks an expected hang', () => {
    expect(row(markdown, 'powerpc')[8]).toBe('hung (known)')
  })

  it('keeps known-only run plain', () => {
    expect(row(markdown, 'powerpc')[1]).toBe('passed')
  })

  it('bolds an unexpected hang', () => {
    expect(row(markdown, 'mips')[4]).toBe('**hung**')
  })

  it('shows a crash and a failure', () => {
    expect(row(markdown, 'mipsel')[5]).toBe('**crashed**')
    expect(row(markdown, 'aarch64')[7]).toBe('**failed**')
  })

  it('shows a test that did not run', () => {
    expect(row(markdown, 'mips')[9]).toBe('not run')
  })

  it('shows build and setup failures', () => {
    expect(row(markdown, 'riscv64')[1]).toBe('**build-failed**')
    expect(row(markdown, 'i686')[1]).toBe('**setup-failed**')
  })

  it('lists the working architectures', () => {
    const section = markdown.split('### Working (2)\n\n')[1].split('\n\n')[0]

    expect(section.split('\n')).toEqual([
      '- armhf',
      '- powerpc: known issues: nettest\\_routed hung; known issues that now pass: VFS test: fail'
    ])
  })

  it('lists the architectures with issues', () => {
    const section = markdown.split('### With issues (5)\n\n')[1].trimEnd()

    expect(section.split('\n')).toEqual([
      '- aarch64: nettest\\_simple6 failed',
      '- i686: setup-failed: binfmt\\_misc could not be mounted on /proc/sys/fs/binfmt\\_misc: permission denied. Run the job as root or with passwordless sudo.',
      '- mips: fstest\\_img hung; not run: nettest\\_routed6',
      '- mipsel: simpleclient crashed',
      '- riscv64: build-failed: buildrump.sh failed during the build: 1 compiler error (see build errors).'
    ])
  })

  it('says so when there are no reports', () => {
    expect(renderMatrix([])).toContain('No rump-cross reports were found.')
  })

  it('escapes a hostile architecture name', () => {
    const report = makeReport({ arch: 'x | <b>y</b>' })

    expect(renderMatrix([report])).toContain(
      '| x \\| &lt;b&gt;y&lt;/b&gt; | passed |'
    )
  })
})

describe('hasUnexpected', () => {
  it.each([
    ['a clean run', false, makeReport()],
    [
      'an expected hang',
      false,
      makeReport({
        tests: suiteWith(makeTest('fstest', 'hung', { expected: true }))
      })
    ],
    [
      'an unexpected failure',
      true,
      makeReport({
        outcome: 'failed',
        tests: suiteWith(makeTest('fstest', 'failed'))
      })
    ],
    [
      'a build failure',
      true,
      makeReport({ outcome: 'build-failed', tests: [] })
    ]
  ])('%s gives %s', (_name, expected, report) => {
    expect(hasUnexpected(report)).toBe(expected)
  })
})

describe('isWorking', () => {
  it('rejects a run without tests', () => {
    expect(isWorking(makeReport({ tests: [] }))).toBe(false)
  })

  it('rejects a run with tests not run', () => {
    expect(
      isWorking(makeReport({ tests: suiteWith(makeTest('init', 'not-run')) }))
    ).toBe(false)
  })
})
