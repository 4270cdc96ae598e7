// The compatibility table of a whole matrix: the JSON reports of every
// architecture, collected from a folder and rendered as Markdown.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { SUITE } from '../buildrump/suite.js'
import { errorMessage } from '../errors.js'
import type { RunReport, TestResult } from '../results.js'
import type { Ui } from '../ui.js'
import { checkReport } from './json.js'
import { findNowPassing, isProblem } from './known-issues.js'
import { outcomeText } from './summary.js'
import { escapeMarkdownInline as inline, truncateLine } from './text.js'

export interface CollectedReport {
  readonly file: string
  readonly report: RunReport
}

/** Lists the *.json files under dir, recursively, without following links. */
async function findJsonFiles(dir: string): Promise<string[]> {
  const found: string[] = []
  const entries = await readdir(dir, { withFileTypes: true })
  for (const entry of entries) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) found.push(...(await findJsonFiles(full)))
    else if (entry.isFile() && entry.name.endsWith('.json')) found.push(full)
  }
  return found.sort()
}

const LEFT_OUT = 'It is left out of the table.'

/** Reads one file; returns undefined, after logging why, when it is no report. */
async function readCandidate(
  file: string,
  ui: Ui
): Promise<RunReport | undefined> {
  let value: unknown
  try {
    value = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    ui.warning(
      `Report ${file} is not valid JSON: ${errorMessage(error)}. ${LEFT_OUT}`
    )
    return undefined
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    !('schemaVersion' in value)
  ) {
    ui.debug(`Skipping ${file}: it has no schemaVersion, so it is no report.`)
    return undefined
  }
  try {
    return checkReport(value, file)
  } catch (error) {
    ui.warning(`${errorMessage(error)} ${LEFT_OUT}`)
    return undefined
  }
}

/**
 * Reads every rump-cross report under dir, recursively. Files that are not
 * valid JSON or do not match the report schema are skipped with a warning
 * naming the file. When two reports cover the same architecture, the one that
 * started last is kept. The result is sorted by architecture.
 */
export async function collectReports(
  dir: string,
  ui: Ui
): Promise<CollectedReport[]> {
  const byArch = new Map<string, CollectedReport>()
  for (const file of await findJsonFiles(dir)) {
    const report = await readCandidate(file, ui)
    if (report === undefined) continue

    const earlier = byArch.get(report.arch)
    if (earlier === undefined) {
      byArch.set(report.arch, { file, report })
      continue
    }
    const newer =
      Date.parse(report.startedAt) > Date.parse(earlier.report.startedAt)
    const usedFile = newer ? file : earlier.file
    const ignoredFile = newer ? earlier.file : file
    ui.info(
      `Two reports for ${report.arch}: using ${usedFile}, which started later, and ignoring ${ignoredFile}.`
    )
    if (newer) byArch.set(report.arch, { file, report })
  }
  return [...byArch.values()].sort((a, b) =>
    a.report.arch.localeCompare(b.report.arch)
  )
}

/** Returns whether a run has a result that known-issues does not list. */
export function hasUnexpected(report: RunReport): boolean {
  if (report.outcome !== 'passed') return true
  return report.tests.some(test => isProblem(test.outcome) && !test.expected)
}

function isFine(test: TestResult): boolean {
  if (test.outcome === 'passed' || test.outcome === 'skipped') return true
  return isProblem(test.outcome) && test.expected === true
}

/**
 * Returns whether every test passed or was skipped, apart from expected
 * problems.
 */
export function isWorking(report: RunReport): boolean {
  return (
    report.outcome === 'passed' &&
    report.tests.length > 0 &&
    report.tests.every(isFine)
  )
}

function testIds(tests: readonly TestResult[]): string {
  return tests.map(test => `${test.id} ${test.outcome}`).join(', ')
}

/** Describes what is wrong with a run, or what is known, in one line. */
function describeReport(report: RunReport): string {
  const parts: string[] = []
  const problems = report.tests.filter(test => isProblem(test.outcome))
  const unexpected = problems.filter(test => !test.expected)
  // A failed run without an unexpected test result, such as a build failure,
  // is explained by its error.
  if (report.outcome !== 'passed' && unexpected.length === 0) {
    const cause = report.error ? `: ${truncateLine(report.error, 300)}` : ''
    parts.push(`${report.outcome}${cause}`)
  }
  if (unexpected.length > 0) parts.push(testIds(unexpected))

  const notRun = report.tests.filter(test => test.outcome === 'not-run')
  const suiteRan = report.tests.some(test => test.outcome !== 'not-run')
  const noneRan = report.tests.every(test => test.outcome === 'not-run')
  if (noneRan && report.outcome === 'passed') {
    parts.push('built, but no tests ran')
  } else if (notRun.length > 0 && suiteRan) {
    parts.push(`not run: ${notRun.map(test => test.id).join(', ')}`)
  }

  const expected = problems.filter(test => test.expected)
  if (expected.length > 0) parts.push(`known issues: ${testIds(expected)}`)
  const nowPassing = findNowPassing(report.tests, report.knownIssues ?? [])
  if (nowPassing.length > 0) {
    const issues = nowPassing.map(issue => `${issue.test}: ${issue.kind}`)
    parts.push(`known issues that now pass: ${issues.join(', ')}`)
  }
  return parts.join('; ')
}

function cell(report: RunReport, id: string): string {
  const test = report.tests.find(t => t.id === id)
  if (test === undefined) return 'not run'
  return outcomeText(test).replace(' (known issue)', ' (known)')
}

function table(reports: readonly RunReport[]): string[] {
  const ids = SUITE.map(test => test.id)
  const header = ['architecture', 'run', ...ids]
  const rows = reports.map(report => {
    const cells = [
      inline(report.arch),
      hasUnexpected(report) ? `**${report.outcome}**` : report.outcome,
      ...ids.map(id => cell(report, id))
    ]
    return `| ${cells.join(' | ')} |`
  })
  return [
    `| ${header.map(inline).join(' | ')} |`,
    `|${' --- |'.repeat(header.length)}`,
    ...rows
  ]
}

function listSection(title: string, reports: readonly RunReport[]): string[] {
  const items = reports.map(report => {
    const details = describeReport(report)
    return details
      ? `- ${inline(report.arch)}: ${inline(details)}`
      : `- ${inline(report.arch)}`
  })
  return [
    `### ${title} (${reports.length})`,
    '',
    ...(items.length ? items : ['- none'])
  ]
}

/**
 * Renders the compatibility table of a matrix: one row per architecture and
 * one column per suite test, then the working architectures and those with
 * issues. Unexpected results are bold, and expected ones are marked
 * "(known)". An architecture works when it passed and every test passed, was
 * skipped or failed only as known-issues expects.
 */
export function renderMatrix(reports: readonly RunReport[]): string {
  const lines = ['## rump-cross compatibility', '']
  if (reports.length === 0) {
    lines.push('No rump-cross reports were found.')
    return `${lines.join('\n')}\n`
  }
  const working = reports.filter(isWorking)
  const withIssues = reports.filter(report => !isWorking(report))
  lines.push(
    ...table(reports),
    '',
    'Bold results are unexpected. Results marked (known) are listed in known-issues and do not fail the run.',
    '',
    ...listSection('Working', working),
    '',
    ...listSection('With issues', withIssues)
  )
  return `${lines.join('\n')}\n`
}
