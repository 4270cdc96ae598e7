// Annotations for one run: the problems a user should see first on the
// workflow run page, kept within GitHub's per-step limits.
import path from 'node:path'
import type { KnownIssue } from '../inputs.js'
import type { BuildError, RunReport, TestResult } from '../results.js'
import type { Annotation, Ui } from '../ui.js'
import { byProblemRank, findNowPassing, isProblem } from './known-issues.js'
import { cleanLines, truncateLine, truncateUtf8, utf8Length } from './text.js'

/** GitHub shows at most this many annotations of each type per step. */
export const MAX_ANNOTATIONS_PER_TYPE = 10

/** Maximum size of one annotation message in UTF-8 bytes, marker included. */
export const MAX_ANNOTATION_BYTES = 4000

const CUT_MARKER =
  '\n[cut to stay under 4 KB; the job summary and the log have the rest]'
const OUTPUT_LINES = 20
const OUTPUT_BYTES = 1600
const BACKTRACE_LINES = 40
const LINE_CHARS = 200

export interface AnnotateOptions {
  /**
   * Folder that build error paths are made relative to, so GitHub can link
   * them to the repository. Defaults to GITHUB_WORKSPACE.
   */
  readonly workspace?: string
  /** Folder that relative paths in build errors are resolved against. */
  readonly srcPath?: string
  /**
   * Maximum error annotations to emit, the folded one included. The default,
   * one below GitHub's limit, leaves room for the failure message of the step.
   */
  readonly maxErrors?: number
  /** Maximum warning and notice annotations to emit, each. */
  readonly maxWarnings?: number
}

/** Number of annotations emitted, by type. */
export interface AnnotationCounts {
  readonly errors: number
  readonly warnings: number
  readonly notices: number
}

interface PendingAnnotation {
  readonly message: string
  readonly properties: Annotation
  /** A few words naming the problem, for the folded annotation. */
  readonly label: string
}

type Emit = (message: string, annotation?: Annotation) => void

/** Keeps the last lines of text that fit in maxBytes. */
function tailWithin(lines: readonly string[], maxBytes: number): string[] {
  const tail: string[] = []
  let size = 0
  for (const line of [...lines].reverse()) {
    size += utf8Length(line) + 1
    if (size > maxBytes) break
    tail.unshift(line)
  }
  return tail
}

function testMessage(test: TestResult): string {
  const parts: string[] = []
  if (test.reason) parts.push(truncateLine(test.reason, 300))

  const output = cleanLines(test.output)
    .slice(-OUTPUT_LINES)
    .map(line => truncateLine(line, LINE_CHARS))
  const tail = tailWithin(output, OUTPUT_BYTES)
  if (tail.length > 0) {
    parts.push(`Last ${tail.length} lines of output:\n${tail.join('\n')}`)
  }

  for (const backtrace of test.backtraces) {
    const lines = cleanLines(backtrace.text.split('\n'))
    const head = lines
      .slice(0, BACKTRACE_LINES)
      .map(line => truncateLine(line, LINE_CHARS))
    const more = lines.length > head.length ? '\n...' : ''
    parts.push(`Backtrace of ${backtrace.program}:\n${head.join('\n')}${more}`)
  }
  if (parts.length === 0) parts.push(`${test.id} ${test.outcome}`)
  return truncateUtf8(parts.join('\n\n'), MAX_ANNOTATION_BYTES, CUT_MARKER)
}

function testAnnotation(
  arch: string,
  test: TestResult,
  suffix = ''
): PendingAnnotation {
  const label = `${test.id} ${test.outcome}`
  return {
    message: testMessage(test),
    properties: { title: `${arch}: ${label}${suffix}` },
    label
  }
}

/**
 * Returns the path GitHub can link for a build error: relative to the
 * workspace, with forward slashes. Returns undefined for a file outside the
 * workspace or a relative path without srcPath to resolve it against.
 */
export function workspacePath(
  file: string,
  workspace: string | undefined,
  srcPath: string | undefined
): string | undefined {
  if (!workspace) return undefined
  let absolute: string
  if (path.isAbsolute(file)) absolute = file
  else if (srcPath) absolute = path.resolve(srcPath, file)
  else return undefined

  const relative = path.relative(path.resolve(workspace), absolute)
  const outside =
    relative === '' ||
    relative === '..' ||
    relative.startsWith(`..${path.sep}`) ||
    path.isAbsolute(relative)
  return outside ? undefined : relative.split(path.sep).join('/')
}

function location(error: BuildError): string {
  if (!error.file) return ''
  const line = error.line ? `:${error.line}` : ''
  const column = error.line && error.column ? `:${error.column}` : ''
  return `${error.file}${line}${column}`
}

function buildErrorAnnotation(
  arch: string,
  error: BuildError,
  options: AnnotateOptions
): PendingAnnotation {
  const where = location(error)
  const label = where ? `build error at ${where}` : 'build error'
  const title = `${arch}: build error`
  const message = truncateUtf8(
    cleanLines([error.message]).join('\n'),
    MAX_ANNOTATION_BYTES,
    CUT_MARKER
  )
  const file = error.file
    ? workspacePath(error.file, options.workspace, options.srcPath)
    : undefined
  if (file === undefined) {
    // GitHub cannot link the file, so the message names it instead.
    const named = where ? `${where}: ${message}` : message
    return {
      message: truncateUtf8(named, MAX_ANNOTATION_BYTES, CUT_MARKER),
      properties: { title },
      label
    }
  }
  return {
    message,
    properties: {
      title,
      file,
      startLine: error.line,
      startColumn: error.line ? error.column : undefined
    },
    label
  }
}

function nowPassingAnnotation(
  arch: string,
  issue: KnownIssue
): PendingAnnotation {
  const line = `${issue.test}: ${issue.kind}`
  return {
    message: `known-issues lists "${line}", but ${issue.test} passed on ${arch}. Remove the line from known-issues so that a new failure of this test fails the step.`,
    properties: { title: `${arch}: ${issue.test} passes` },
    label: `${issue.test} passes`
  }
}

/**
 * Emits up to max annotations. When there are more, the last one emitted
 * lists the rest by label. Returns how many were emitted.
 */
function emitCapped(
  pending: readonly PendingAnnotation[],
  max: number,
  arch: string,
  emit: Emit
): number {
  if (max <= 0 || pending.length === 0) return 0
  if (pending.length <= max) {
    for (const item of pending) emit(item.message, item.properties)
    return pending.length
  }
  const emitted = pending.slice(0, max - 1)
  const rest = pending.slice(max - 1)
  for (const item of emitted) emit(item.message, item.properties)
  const list = rest.map(item => item.label).join(', ')
  emit(
    truncateUtf8(
      `and ${rest.length} more: ${list}`,
      MAX_ANNOTATION_BYTES,
      CUT_MARKER
    ),
    { title: `${arch}: ${rest.length} more` }
  )
  return max
}

/**
 * Emits the annotations of one run: an error for each unexpected problem
 * (hung, crashed, failed tests first, then build errors in log order), a
 * warning for each expected one and a notice for each known issue that now
 * passes. Each type stays within GitHub's limit: past it, the last annotation
 * of the type lists the rest.
 */
export function annotate(
  report: RunReport,
  ui: Ui,
  options: AnnotateOptions = {}
): AnnotationCounts {
  const resolved: AnnotateOptions = {
    ...options,
    workspace: options.workspace ?? process.env.GITHUB_WORKSPACE
  }
  const arch = report.arch
  const problems = report.tests.filter(test => isProblem(test.outcome))

  const errors = [
    ...problems
      .filter(test => !test.expected)
      .sort(byProblemRank)
      .map(test => testAnnotation(arch, test)),
    ...[...report.buildErrors]
      .sort((a, b) => a.logLine - b.logLine)
      .map(error => buildErrorAnnotation(arch, error, resolved))
  ]
  const warnings = problems
    .filter(test => test.expected)
    .sort(byProblemRank)
    .map(test => testAnnotation(arch, test, ' (known issue)'))
  const notices = findNowPassing(report.tests, report.knownIssues ?? []).map(
    issue => nowPassingAnnotation(arch, issue)
  )

  const maxErrors = options.maxErrors ?? MAX_ANNOTATIONS_PER_TYPE - 1
  const maxWarnings = options.maxWarnings ?? MAX_ANNOTATIONS_PER_TYPE
  return {
    errors: emitCapped(errors, maxErrors, arch, (m, a) => ui.error(m, a)),
    warnings: emitCapped(warnings, maxWarnings, arch, (m, a) =>
      ui.warning(m, a)
    ),
    notices: emitCapped(notices, maxWarnings, arch, (m, a) => ui.notice(m, a))
  }
}
