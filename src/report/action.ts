// The `report` sub-action: collects the JSON reports of every matrix job and
// writes one compatibility table to a file and to the job summary.
import * as core from '@actions/core'
import { mkdir, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { UserError, errorMessage } from '../errors.js'
import type { InputSpec } from '../inputs.js'
import { ActionUi, type Ui } from '../ui.js'
import {
  type ArtifactService,
  GitHubArtifactService,
  downloadRunArtifacts
} from './artifact.js'
import { collectReports, hasUnexpected, renderMatrix } from './matrix.js'
import { DEFAULT_SUMMARY_BYTES } from './summary.js'
import { truncateUtf8 } from './text.js'

export const REPORT_INPUTS = {
  path: {
    description:
      'Folder holding the JSON reports of the matrix jobs, searched recursively. Empty downloads the rump-cross-* artifacts of this workflow run.',
    default: ''
  },
  'fail-on': {
    description:
      'When to fail the step: none, or unexpected to fail when any architecture has a result that known-issues does not list.',
    default: 'none'
  }
} as const satisfies Record<string, InputSpec>

export const REPORT_OUTPUTS = {
  table: 'Path of the Markdown file with the compatibility table.'
} as const satisfies Record<string, string>

export type ReportInputName = keyof typeof REPORT_INPUTS

export type FailOn = 'none' | 'unexpected'

export interface ReportInputs {
  /** Folder of reports; undefined means download the run's artifacts. */
  readonly path?: string
  readonly failOn: FailOn
}

/** File name of the table under the runner's temporary folder. */
export const MATRIX_FILE = 'rump-cross-matrix.md'

/** Reads and validates the inputs; throws UserError on a bad one. */
export function readReportInputs(
  read: (name: ReportInputName) => string,
  cwd: string
): ReportInputs {
  const failOn = read('fail-on').trim() || REPORT_INPUTS['fail-on'].default
  if (failOn !== 'none' && failOn !== 'unexpected') {
    throw new UserError(
      `Input fail-on "${failOn}" is not valid. Use none, or unexpected to fail when an architecture has an unexpected result.`
    )
  }
  const folder = read('path').trim()
  return { path: folder ? path.resolve(cwd, folder) : undefined, failOn }
}

export interface ReportDependencies {
  readonly ui: Ui
  readonly read: (name: ReportInputName) => string
  readonly artifacts: ArtifactService
  /** Folder for downloads and the table file, such as RUNNER_TEMP. */
  readonly tempDir: string
  readonly cwd: string
}

async function requireFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => undefined)
  if (!info?.isDirectory()) {
    throw new UserError(
      `Input path "${folder}" was not found or is not a folder. Give the folder that contains the reports, or leave path empty to download the rump-cross-* artifacts of this run.`
    )
  }
}

async function reportFolder(
  inputs: ReportInputs,
  deps: ReportDependencies
): Promise<string> {
  if (inputs.path !== undefined) {
    await requireFolder(inputs.path)
    return inputs.path
  }
  const folder = path.join(deps.tempDir, 'rump-cross-reports')
  await mkdir(folder, { recursive: true })
  await deps.ui.group('Download the reports', () =>
    downloadRunArtifacts(folder, deps.ui, deps.artifacts)
  )
  return folder
}

async function publishTable(
  markdown: string,
  deps: ReportDependencies
): Promise<string> {
  await mkdir(deps.tempDir, { recursive: true })
  const file = path.join(deps.tempDir, MATRIX_FILE)
  await writeFile(file, markdown)
  deps.ui.setOutput('table', file)
  deps.ui.info(`Wrote the compatibility table to ${file}.`)

  const note = `\n_The table was cut to fit the job summary; the full table is ${file}._\n`
  await deps.ui.appendSummary(
    truncateUtf8(markdown, DEFAULT_SUMMARY_BYTES, note)
  )
  return file
}

/**
 * Runs the report action: reads the reports, writes the table and decides
 * the step's result. Returns false when the step should fail; every error is
 * reported through ui and never thrown.
 */
export async function reportMatrix(deps: ReportDependencies): Promise<boolean> {
  const { ui } = deps
  try {
    const inputs = readReportInputs(deps.read, deps.cwd)
    const folder = await reportFolder(inputs, deps)
    const reports = (await collectReports(folder, ui)).map(c => c.report)
    await publishTable(renderMatrix(reports), deps)

    if (reports.length === 0) {
      const message = `No rump-cross reports were found in ${folder}. Check that the matrix jobs ran with upload-logs: true, or that path points at their reports.`
      if (inputs.failOn === 'unexpected') {
        ui.error(message)
        return false
      }
      ui.warning(message)
      return true
    }

    const failing = reports.filter(hasUnexpected)
    if (inputs.failOn === 'unexpected' && failing.length > 0) {
      const list = failing.map(r => `${r.arch} (${r.outcome})`).join(', ')
      ui.error(
        `${failing.length} of ${reports.length} architectures have unexpected results: ${list}. See the table in the job summary.`
      )
      return false
    }
    return true
  } catch (error) {
    if (!(error instanceof UserError) && error instanceof Error) {
      ui.debug(error.stack ?? '')
    }
    ui.error(errorMessage(error))
    return false
  }
}

/** Entry of the report action, with the runner's inputs and services. */
export async function runReport(): Promise<void> {
  const ok = await reportMatrix({
    ui: new ActionUi(),
    read: name => core.getInput(name),
    artifacts: new GitHubArtifactService(),
    tempDir: process.env.RUNNER_TEMP || os.tmpdir(),
    cwd: process.cwd()
  })
  if (!ok) process.exitCode = 1
}
