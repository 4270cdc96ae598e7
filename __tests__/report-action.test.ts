import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { parse as parseYaml } from 'yaml'
import {
  MATRIX_FILE,
  REPORT_INPUTS,
  REPORT_OUTPUTS,
  type ReportInputName,
  readReportInputs,
  reportMatrix
} from '../src/report/action.js'
import type { ArtifactInfo, ArtifactService } from '../src/report/artifact.js'
import { RecordingUi, makeReport } from './fixtures/reports/helpers.js'

const repo = fileURLToPath(new URL('..', import.meta.url))
const fixtures = path.join(repo, '__tests__/fixtures/reports/matrix')

/** Serves fixture folders as downloaded artifacts. */
class FolderArtifactService implements ArtifactService {
  constructor(
    private readonly available: boolean,
    private readonly folders: Record<string, string> = {}
  ) {}
  isAvailable(): boolean {
    return this.available
  }
  async upload(): Promise<{ id?: number; size?: number }> {
    throw new Error('the report action uploads nothing')
  }
  async list(): Promise<ArtifactInfo[]> {
    return Object.keys(this.folders).map((name, i) => ({
      id: i + 1,
      name,
      size: 1
    }))
  }
  async download(id: number, dir: string): Promise<string> {
    const source = Object.values(this.folders)[id - 1]
    await cp(source, dir, { recursive: true })
    return dir
  }
}

let temp: string

beforeAll(async () => {
  temp = await mkdtemp(path.join(os.tmpdir(), 'report-action-'))
})

afterAll(async () => {
  await rm(temp, { recursive: true, force: true })
})

async function runWith(
  inputs: Partial<Record<ReportInputName, string>>,
  artifacts: ArtifactService = new FolderArtifactService(false)
) {
  const ui = new RecordingUi()
  const tempDir = await mkdtemp(path.join(temp, 'run-'))
  const ok = await reportMatrix({
    ui,
    read: name => inputs[name] ?? '',
    artifacts,
    tempDir,
    cwd: repo
  })
  return { ok, ui, tempDir }
}

describe('readReportInputs', () => {
  it('defaults fail-on to none', () => {
    expect(readReportInputs(() => '', repo).failOn).toBe('none')
  })

  it('resolves path against the workspace', () => {
    const inputs = readReportInputs(
      name => (name === 'path' ? 'reports' : ''),
      '/w'
    )

    expect(inputs.path).toBe('/w/reports')
  })

  it('leaves path undefined when empty', () => {
    expect(readReportInputs(() => ' ', repo).path).toBeUndefined()
  })

  it('rejects an unknown fail-on', () => {
    const read = (name: ReportInputName) => (name === 'fail-on' ? 'always' : '')

    expect(() => readReportInputs(read, repo)).toThrow(
      'Input fail-on "always" is not valid. Use none, or unexpected'
    )
  })
})

describe('reportMatrix', () => {
  it('passes with fail-on none despite failures', async () => {
    const { ok } = await runWith({ path: fixtures })

    expect(ok).toBe(true)
  })

  it('writes the table file and output', async () => {
    const { ui, tempDir } = await runWith({ path: fixtures })
    const file = path.join(tempDir, MATRIX_FILE)

    expect(ui.outputs.get('table')).toBe(file)
    expect(await readFile(file, 'utf8')).toContain(
      '## rump-cross compatibility'
    )
  })

  it('writes the table to the job summary', async () => {
    const { ui, tempDir } = await runWith({ path: fixtures })
    const file = await readFile(path.join(tempDir, MATRIX_FILE), 'utf8')

    expect(ui.summaries).toEqual([file])
  })

  it('fails with fail-on unexpected', async () => {
    const { ok, ui } = await runWith({
      path: fixtures,
      'fail-on': 'unexpected'
    })

    expect(ok).toBe(false)
    expect(ui.of('error')[0].message).toBe(
      '5 of 7 architectures have unexpected results: aarch64 (failed), i686 (setup-failed), mips (hung), mipsel (crashed), riscv64 (build-failed). See the table in the job summary.'
    )
  })

  it('passes fail-on unexpected with known issues only', async () => {
    const only = path.join(temp, 'only-known')
    await mkdir(only, { recursive: true })
    await cp(
      path.join(fixtures, 'powerpc.json'),
      path.join(only, 'powerpc.json')
    )
    await cp(path.join(fixtures, 'armhf.json'), path.join(only, 'armhf.json'))
    const { ok, ui } = await runWith({ path: only, 'fail-on': 'unexpected' })

    expect(ok).toBe(true)
    expect(ui.of('error')).toEqual([])
  })

  it('reports a bad fail-on as an error', async () => {
    const { ok, ui } = await runWith({ path: fixtures, 'fail-on': 'sometimes' })

    expect(ok).toBe(false)
    expect(ui.of('error')[0].message).toMatch(
      /^Input fail-on "sometimes" is not valid/
    )
  })

  it('reports a missing folder', async () => {
    const { ok, ui } = await runWith({ path: 'no/such/folder' })

    expect(ok).toBe(false)
    expect(ui.of('error')[0].message).toBe(
      `Input path "${path.join(repo, 'no/such/folder')}" was not found or is not a folder. Give the folder that contains the reports, or leave path empty to download the rump-cross-* artifacts of this run.`
    )
  })

  it('downloads the artifacts when path is empty', async () => {
    const artifacts = new FolderArtifactService(true, {
      'rump-cross-powerpc': fixtures
    })
    const { ok, ui } = await runWith({}, artifacts)

    expect(ok).toBe(true)
    expect(ui.summaries[0]).toContain('| powerpc | passed |')
  })

  it('explains a missing artifact service', async () => {
    const { ok, ui } = await runWith({})

    expect(ok).toBe(false)
    expect(ui.of('error')[0].message).toMatch(
      /^The artifact service is not available/
    )
  })

  it('warns when no reports are found', async () => {
    const empty = path.join(temp, 'empty')
    await mkdir(empty, { recursive: true })
    const { ok, ui } = await runWith({ path: empty })

    expect(ok).toBe(true)
    expect(ui.of('warning')[0].message).toMatch(
      /^No rump-cross reports were found in /
    )
  })

  it('fails fail-on unexpected without reports', async () => {
    const empty = path.join(temp, 'empty-strict')
    await mkdir(empty, { recursive: true })
    const { ok } = await runWith({ path: empty, 'fail-on': 'unexpected' })

    expect(ok).toBe(false)
  })
})

describe('report/action.yml', () => {
  let action: {
    inputs: Record<
      string,
      { description: string; default: string; required: boolean }
    >
    outputs: Record<string, { description: string }>
    runs: { using: string; main: string }
  }

  beforeAll(async () => {
    action = parseYaml(
      await readFile(path.join(repo, 'report/action.yml'), 'utf8')
    )
  })

  it('runs the report bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: '../dist/report.js' })
  })

  it('declares the inputs of REPORT_INPUTS', () => {
    expect(Object.keys(action.inputs)).toEqual(Object.keys(REPORT_INPUTS))
  })

  it.each(Object.entries(REPORT_INPUTS))(
    'input %s matches its spec',
    (name, spec) => {
      const input = action.inputs[name]

      expect(input.description).toBe(spec.description)
      expect(input.default).toBe(spec.default)
      expect(input.required).toBe(false)
    }
  )

  it('declares the outputs of REPORT_OUTPUTS', () => {
    const outputs = Object.fromEntries(
      Object.entries(action.outputs).map(([name, o]) => [name, o.description])
    )

    expect(outputs).toEqual(REPORT_OUTPUTS)
  })
})

describe('report action entry', () => {
  const run = promisify(execFile)

  /** Runs src/report-action.ts the way the runner runs the bundle. */
  async function runEntry(inputs: Record<string, string>) {
    const dir = await mkdtemp(path.join(temp, 'entry-'))
    const outputFile = path.join(dir, 'output')
    const summaryFile = path.join(dir, 'summary')
    await writeFile(outputFile, '')
    await writeFile(summaryFile, '')
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      RUNNER_TEMP: dir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile
    }
    for (const [name, value] of Object.entries(inputs)) {
      env[`INPUT_${name.toUpperCase()}`] = value
    }
    const entry = path.join(repo, 'src/report-action.ts')
    const result = await run(process.execPath, ['--import', 'tsx', entry], {
      cwd: repo,
      env
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({
        code: error.code,
        stdout: error.stdout
      })
    )
    return {
      ...result,
      output: await readFile(outputFile, 'utf8'),
      summary: await readFile(summaryFile, 'utf8'),
      dir
    }
  }

  it('writes output and summary', async () => {
    const result = await runEntry({ path: fixtures, 'fail-on': 'none' })

    expect(result.code).toBe(0)
    expect(result.output).toContain(path.join(result.dir, MATRIX_FILE))
    expect(result.summary).toContain('### With issues (5)')
  })

  it('exits 1 with fail-on unexpected', async () => {
    const result = await runEntry({ path: fixtures, 'fail-on': 'unexpected' })

    expect(result.code).toBe(1)
    expect(result.stdout).toContain('::error::5 of 7 architectures')
  })

  it('entry warns about invalid report', async () => {
    const result = await runEntry({ path: fixtures })

    expect(result.stdout).toMatch(
      /^::warning::Report .*bad-field\.json is not a valid rump-cross report: /m
    )
  })
})

// A report object built in memory passes the same checks as the fixtures.
describe('reportMatrix with a fresh report', () => {
  it('accepts a report written by makeReport', async () => {
    const folder = path.join(temp, 'fresh')
    await mkdir(folder, { recursive: true })
    await writeFile(path.join(folder, 'r.json'), JSON.stringify(makeReport()))
    const { ok, ui } = await runWith({ path: folder, 'fail-on': 'unexpected' })

    expect(ok).toBe(true)
    expect(ui.of('warning')).toEqual([])
  })
})
