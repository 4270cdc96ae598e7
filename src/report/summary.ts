// The job summary of one run, in GitHub-flavoured Markdown. Everything a test
// printed is escaped, and the whole text stays under GitHub's size limit.
import { SUITE } from '../buildrump/suite.js'
import { formatDuration } from '../duration.js'
import type { RunReport, TestResult } from '../results.js'
import { byProblemRank, findNowPassing, isProblem } from './known-issues.js'
import {
  cleanLines,
  escapeHtml,
  escapeMarkdownInline as inline,
  truncateLine,
  truncateUtf8,
  utf8Length
} from './text.js'

/** GitHub drops a step summary larger than this, whole. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024

/**
 * Default size budget of one run's summary. It is below the limit because
 * the step may add other text to its summary.
 */
export const DEFAULT_SUMMARY_BYTES = SUMMARY_LIMIT_BYTES - 32 * 1024

const LINE_CHARS = 1000
const REASON_CHARS = 200
const ERROR_CHARS = 2000

export interface SummaryOptions {
  /** Last lines of the full log, shown when the run did not pass. */
  readonly logTail?: readonly string[]
  /** Name of the artifact that contains the full log, for the cut note. */
  readonly artifactName?: string
  /** Size budget in UTF-8 bytes; defaults to DEFAULT_SUMMARY_BYTES. */
  readonly maxBytes?: number
}

/** A collapsible block of preformatted text, cut to a byte budget. */
interface Block {
  readonly summary: string
  readonly lines: readonly string[]
  /** End of the text that is kept when the block must be cut. */
  readonly keep: 'head' | 'tail'
  readonly open?: boolean
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/** Outcome as shown in a table cell; unexpected problems are bold. */
export function outcomeText(test: TestResult): string {
  const words = test.outcome === 'not-run' ? 'not run' : test.outcome
  if (!isProblem(test.outcome)) return words
  return test.expected ? `${words} (known issue)` : `**${words}**`
}

function headerLines(report: RunReport): string[] {
  const lines = [
    `## rump-cross ${inline(report.arch)}: ${report.outcome}`,
    '',
    `- Target: ${inline(report.triple)}, NetBSD machine ${inline(report.netbsdMachine)}`,
    `- qemu-user: ${inline(report.qemuVersion ?? 'unknown')}`
  ]
  const toolchain = report.toolchain
  if (toolchain) {
    const gcc = toolchain.gccVersion
      ? `, gcc ${inline(toolchain.gccVersion)}`
      : ''
    const cache = toolchain.cacheHit ? 'yes' : 'no'
    lines.push(
      `- Toolchain: ${inline(toolchain.source)}${gcc}, cache hit: ${cache}`
    )
  }
  const phases = report.phases.map(phase => {
    const failed = phase.ok ? '' : ' (failed)'
    return `${inline(phase.name)} ${seconds(phase.durationMs)}${failed}`
  })
  if (phases.length > 0) lines.push(`- Phases: ${phases.join(', ')}`)
  lines.push(`- Total: ${formatDuration(report.durationMs)}`)
  if (report.error) {
    lines.push('', inline(truncateLine(report.error, ERROR_CHARS)))
  }
  return lines
}

/**
 * Returns the results in suite order, with a not-run result for each suite
 * test the report lacks, then results of tests outside the suite table.
 */
function orderedTests(report: RunReport): TestResult[] {
  const byId = new Map(report.tests.map(test => [test.id, test]))
  const suite = SUITE.map(
    test =>
      byId.get(test.id) ?? {
        id: test.id,
        title: test.title,
        outcome: 'not-run' as const,
        output: [],
        backtraces: []
      }
  )
  const extra = report.tests.filter(test => !SUITE.some(s => s.id === test.id))
  return [...suite, ...extra]
}

function testTable(report: RunReport): string[] {
  const rows = orderedTests(report).map(test => {
    const time = test.durationMs === undefined ? '' : seconds(test.durationMs)
    const note = test.reason
      ? inline(truncateLine(test.reason, REASON_CHARS))
      : ''
    return `| ${inline(test.id)} | ${outcomeText(test)} | ${time} | ${note} |`
  })
  return [
    '### Tests',
    '',
    '| test | outcome | time | note |',
    '| --- | --- | --- | --- |',
    ...rows
  ]
}

function nowPassingLines(report: RunReport): string[] {
  const issues = findNowPassing(report.tests, report.knownIssues ?? [])
  if (issues.length === 0) return []
  return [
    '### Known issues that now pass',
    '',
    ...issues.map(
      issue =>
        `- ${inline(`${issue.test}: ${issue.kind}`)}: remove the line from known-issues.`
    )
  ]
}

function blocksFor(tests: readonly TestResult[]): Block[] {
  const blocks: Block[] = []
  for (const test of tests) {
    const label = `${test.id} ${outcomeText(test).replaceAll('*', '')}`
    for (const backtrace of test.backtraces) {
      blocks.push({
        summary: `${label}: backtrace of ${backtrace.program}`,
        lines: backtrace.text.split('\n'),
        keep: 'head'
      })
    }
    if (test.output.length > 0) {
      blocks.push({
        summary: `${label}: last lines of output`,
        lines: test.output,
        keep: 'tail'
      })
    }
  }
  return blocks
}

/**
 * Blocks in the order they get the byte budget: unexpected problems first,
 * worst first, then the end of the log, then expected problems.
 */
function detailBlocks(report: RunReport, options: SummaryOptions): Block[] {
  const problems = orderedTests(report)
    .filter(test => isProblem(test.outcome))
    .sort(byProblemRank)
  const blocks = blocksFor(problems.filter(test => !test.expected))
  if (report.outcome !== 'passed' && options.logTail?.length) {
    blocks.push({
      summary: 'Last lines of the log',
      lines: options.logTail,
      keep: 'tail',
      open: true
    })
  }
  blocks.push(...blocksFor(problems.filter(test => test.expected)))
  return blocks
}

/**
 * Renders a block within maxBytes, keeping whole lines from its kept end.
 * Returns undefined when not even one line fits.
 */
function renderBlock(
  block: Block,
  maxBytes: number
): { text: string; cut: boolean } | undefined {
  const open = block.open ? ' open' : ''
  const head = `<details${open}><summary>${escapeHtml(block.summary)}</summary>\n\n<pre>\n`
  const tail = '</pre>\n\n</details>\n'
  const lines = cleanLines(block.lines).map(line =>
    escapeHtml(truncateLine(line, LINE_CHARS))
  )
  const marker = '[... cut to fit the summary size limit]\n'
  let room = maxBytes - utf8Length(head) - utf8Length(tail)
  const full = lines.map(line => `${line}\n`).join('')
  if (utf8Length(full) <= room) return { text: head + full + tail, cut: false }

  room -= utf8Length(marker)
  const ordered = block.keep === 'head' ? lines : [...lines].reverse()
  const selected: string[] = []
  for (const line of ordered) {
    room -= utf8Length(line) + 1
    if (room < 0) break
    selected.push(line)
  }
  if (selected.length === 0) return undefined
  const body =
    block.keep === 'head'
      ? `${selected.join('\n')}\n${marker}`
      : `${marker}${selected.reverse().join('\n')}\n`
  return { text: head + body + tail, cut: true }
}

function cutNote(report: RunReport, options: SummaryOptions): string {
  const artifact = options.artifactName
    ? ` in the artifact ${inline(options.artifactName)}`
    : ''
  return `\n_Parts of this summary were cut to keep it under GitHub's 1 MiB limit. The full log is ${inline(report.log)}${artifact}._\n`
}

/**
 * Renders the job summary of one run: the target and toolchain, the time of
 * each phase, a table of the suite's tests, then backtraces, test output and
 * the end of the log in collapsible blocks. Test output is escaped, so it is
 * shown as text and cannot close a block or a table cell.
 *
 * The result never exceeds options.maxBytes: blocks that do not fit are cut
 * or left out, and a note then names where the full log is.
 */
export function renderSummary(
  report: RunReport,
  options: SummaryOptions = {}
): string {
  const maxBytes = options.maxBytes ?? DEFAULT_SUMMARY_BYTES
  const top = [
    ...headerLines(report),
    '',
    ...testTable(report),
    '',
    ...nowPassingLines(report)
  ].join('\n')
  const note = cutNote(report, options)

  const parts = [`${top.trimEnd()}\n\n`]
  let room = maxBytes - utf8Length(parts[0]) - utf8Length(note)
  let cut = room < 0
  for (const block of detailBlocks(report, options)) {
    // One byte of room is for the blank line after the block.
    const rendered = room > 1 ? renderBlock(block, room - 1) : undefined
    if (rendered === undefined) {
      cut = true
      continue
    }
    parts.push(rendered.text, '\n')
    room -= utf8Length(rendered.text) + 1
    cut ||= rendered.cut
  }
  if (!cut) return parts.join('')

  // NOTE: the header and table exceed maxBytes only with a budget of a few
  // kilobytes or a report of thousands of tests. They are then cut as plain
  // text, which can end the summary inside the table.
  const text = parts.join('') + note
  if (utf8Length(text) <= maxBytes) return text
  return truncateUtf8(parts[0], maxBytes - utf8Length(note), '') + note
}
