import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { UserError } from '../src/errors.js'
import { readReport, writeReport } from '../src/report/json.js'
import { applyKnownIssues } from '../src/report/known-issues.js'
import { countOutcomes, runOutcome } from '../src/report/outcome.js'
import type { RunReport } from '../src/results.js'
import { makeReport, makeTest, suiteWith } from './fixtures/reports/helpers.js'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'report-json-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Builds a report the way a run does, with every optional field set. */
function producedReport(): RunReport {
  const tests = suiteWith(
    makeTest('nettest_routed', 'hung', {
      reason: 'no output for 5 min 00 s',
      output: ['Routed IPv4 networking test ... '],
      backtraces: [
        { program: 'nettest_routed', core: '/tmp/q.core', text: '#0  main ()' }
      ]
    }),
    makeTest('fstest', 'crashed', { reason: 'killed by SIGSEGV' })
  )
  const knownIssues = [{ test: 'nettest_routed', kind: 'hang' }] as const
  applyKnownIssues(tests, knownIssues)
  const buildErrors = [
    { file: 'a.c', line: 3, column: 9, message: 'error: x', logLine: 40 }
  ]
  return makeReport({
    tests,
    counts: countOutcomes(tests),
    outcome: runOutcome({ tests, buildErrors, suiteStarted: true }),
    error: '1 test crashed: fstest.',
    buildErrors,
    knownIssues
  })
}

async function writeJson(name: string, value: unknown): Promise<string> {
  const file = path.join(dir, name)
  await writeFile(
    file,
    typeof value === 'string' ? value : JSON.stringify(value)
  )
  return file
}

async function readError(file: string): Promise<unknown> {
  return readReport(file).then(
    () => undefined,
    (error: unknown) => error
  )
}

describe('writeReport', () => {
  it('writes a report that reads back equal', async () => {
    const report = producedReport()
    const file = path.join(dir, 'out', 'report.json')
    await writeReport(file, report)

    expect(await readReport(file)).toEqual(report)
  })

  it('leaves no temporary file', async () => {
    const folder = path.join(dir, 'clean')
    await writeReport(path.join(folder, 'report.json'), producedReport())

    expect(await readdir(folder)).toEqual(['report.json'])
  })

  it('rejects an invalid report', async () => {
    const report = { ...makeReport(), durationMs: -1 }
    const file = path.join(dir, 'invalid-out.json')

    await expect(writeReport(file, report)).rejects.toThrow(
      /invalid report .*durationMs: must be >= 0/
    )
  })

  it('writes nothing for an invalid report', async () => {
    const file = path.join(dir, 'nan-out.json')
    await writeReport(file, { ...makeReport(), durationMs: NaN }).catch(
      () => undefined
    )

    await expect(readFile(file)).rejects.toThrow(/ENOENT/)
  })
})

describe('readReport', () => {
  it('accepts the report of a run', async () => {
    const file = await writeJson('produced.json', producedReport())

    expect((await readReport(file)).outcome).toBe('crashed')
  })

  it('names the file and the wrong field', async () => {
    const report = JSON.parse(JSON.stringify(makeReport()))
    report.tests[3].outcome = 'exploded'
    const file = await writeJson('bad-outcome.json', report)
    const error = await readError(file)

    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toContain(file)
    expect((error as Error).message).toContain(
      'tests.3.outcome: must be equal to one of the allowed values'
    )
  })

  it('names a missing field', async () => {
    const report: Record<string, unknown> = { ...makeReport() }
    delete report.triple
    const file = await writeJson('no-triple.json', report)

    await expect(readReport(file)).rejects.toThrow('triple: missing')
  })

  it('names a missing nested field', async () => {
    const report = JSON.parse(JSON.stringify(makeReport()))
    delete report.counts.hung
    const file = await writeJson('no-hung.json', report)

    await expect(readReport(file)).rejects.toThrow('counts.hung: missing')
  })

  it('names an unknown field', async () => {
    const file = await writeJson('extra.json', {
      ...makeReport(),
      colour: 'red'
    })

    await expect(readReport(file)).rejects.toThrow('unknown field "colour"')
  })

  it('rejects start time without zone', async () => {
    const report = { ...makeReport(), startedAt: '2026-03-01T10:00:00' }
    const file = await writeJson('no-zone.json', report)

    await expect(readReport(file)).rejects.toThrow(
      'startedAt: must match pattern'
    )
  })

  it('rejects another schema version', async () => {
    const file = await writeJson('v2.json', {
      ...makeReport(),
      schemaVersion: 2
    })

    await expect(readReport(file)).rejects.toThrow(
      /has schemaVersion 2, but this version of rump-cross reads schemaVersion 1/
    )
  })

  it('names a file that is not JSON', async () => {
    const file = await writeJson(
      'truncated.json',
      '{"schemaVersion": 1, "arch"'
    )

    await expect(readReport(file)).rejects.toThrow(
      new RegExp(`Report ${file} is not valid JSON`)
    )
  })

  it('names a missing file', async () => {
    const file = path.join(dir, 'absent.json')

    await expect(readReport(file)).rejects.toThrow(
      `Report ${file} could not be read (ENOENT).`
    )
  })

  it('rejects a top-level array', async () => {
    const file = await writeJson('array.json', [])

    await expect(readReport(file)).rejects.toThrow(
      'the top level: must be object'
    )
  })

  it('lists at most five errors', async () => {
    const report = JSON.parse(JSON.stringify(makeReport()))
    for (const test of report.tests) test.outcome = 'x'
    const file = await writeJson('many.json', report)

    await expect(readReport(file)).rejects.toThrow(/\(and 4 more errors\)\.$/)
  })
})

describe('report schema file', () => {
  const schemaFile = new URL('../schema/report.schema.json', import.meta.url)

  it('declares draft 2020-12', async () => {
    const schema = JSON.parse(await readFile(schemaFile, 'utf8'))

    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
  })

  it('describes every property', async () => {
    const schema = JSON.parse(await readFile(schemaFile, 'utf8'))
    const undocumented: string[] = []
    const visit = (node: unknown, where: string): void => {
      if (typeof node !== 'object' || node === null) return
      const record = node as Record<string, unknown>
      const properties = record.properties as
        Record<string, Record<string, unknown>> | undefined
      for (const [name, property] of Object.entries(properties ?? {})) {
        if (!property.description && !property.$ref)
          undocumented.push(`${where}.${name}`)
        visit(property, `${where}.${name}`)
      }
      for (const [name, definition] of Object.entries(
        (record.$defs as Record<string, unknown>) ?? {}
      )) {
        visit(definition, `$defs.${name}`)
      }
    }
    visit(schema, '')

    expect(undocumented).toEqual([])
  })
})
