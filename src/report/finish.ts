// Turns what the job recorded into its report, and publishes that report:
// JSON file, outputs, annotations, job summary and artifact.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { formatDuration } from '../duration.js'
import { errorMessage } from '../errors.js'
import { type HostInfo } from '../host/index.js'
import { type Inputs } from '../inputs.js'
import { type OutputName } from '../outputs.js'
import {
  type BuildError,
  type PhaseTiming,
  REPORT_SCHEMA_VERSION,
  type RunReport,
  type TestResult
} from '../results.js'
import { type Toolchain } from '../toolchain/index.js'
import { type Ui } from '../ui.js'
import { annotate } from './annotations.js'
import {
  type ArtifactService,
  GitHubArtifactService,
  RUN_ARTIFACT_PREFIX,
  uploadRunArtifact
} from './artifact.js'
import { writeReport } from './json.js'
import { applyKnownIssues } from './known-issues.js'
import { countOutcomes, runOutcome } from './outcome.js'
import { renderSummary } from './summary.js'

/** Facts the job records while it runs, filled in step by step. */
export interface JobRecord {
  readonly inputs: Inputs
  readonly startedAt: Date
  readonly logFile: string
  readonly reportFile: string
  readonly phases: PhaseTiming[]
  tests: TestResult[]
  buildErrors: BuildError[]
  readonly workspace?: string
  /** NetBSD sources, once buildrump.sh was found. */
  srcPath?: string
  toolchain?: Toolchain
  host?: HostInfo
  /** Set when an error stopped the run before buildrump.sh. */
  setupFailure?: string
  /** Set when a buildrump.sh command other than the tests failed. */
  buildFailure?: string
  stopped?: 'timeout' | 'cancelled'
  /** The buildrump.sh command that failed, with buildFailure. */
  failedCommand?: string
  /** The tests command exited with an error. */
  testsFailed?: boolean
  testsStarted?: boolean
}

const LOG_TAIL_LINES = 60

async function readLogTail(file: string): Promise<string[]> {
  try {
    const text = await readFile(file, 'utf8')
    return text.split('\n').slice(-LOG_TAIL_LINES)
  } catch {
    return []
  }
}

function describeError(record: JobRecord, outcome: string): string | undefined {
  if (record.setupFailure) return record.setupFailure
  if (record.stopped === 'timeout') {
    return `The run timed out after ${formatDuration(record.inputs.timeoutMs)} and was stopped; the test running then is reported as hung and the tests after it as not-run. Raise the timeout input, or lower test-timeout so that a hung test ends sooner.`
  }
  if (record.stopped === 'cancelled') {
    return 'The run was cancelled; tests that had not finished are reported as not-run.'
  }
  if (record.buildFailure) return record.buildFailure
  if (outcome === 'passed') return undefined
  const problems = record.tests
    .filter(
      t => !t.expected && ['failed', 'hung', 'crashed'].includes(t.outcome)
    )
    .map(t => `${t.id} ${t.outcome}`)
  if (problems.length === 0 && record.testsFailed) {
    return `${record.inputs.arch.name}: buildrump.sh tests exited with an error although no test failed. See the end of the log ${record.logFile}.`
  }
  return problems.length > 0
    ? `${record.inputs.arch.name}: ${problems.join(', ')}. See the test results and the log ${record.logFile}.`
    : `${record.inputs.arch.name}: ${outcome}. See the log ${record.logFile}.`
}

/** Builds the report from the record. */
export function buildReport(record: JobRecord): RunReport {
  const { arch, knownIssues } = record.inputs
  applyKnownIssues(record.tests, knownIssues)
  const outcome = runOutcome({
    setupFailed: record.setupFailure !== undefined,
    buildFailed: record.buildFailure !== undefined,
    testsFailed: record.testsFailed,
    stopped: record.stopped,
    suiteStarted: record.testsStarted === true,
    buildErrors: record.buildErrors,
    tests: record.tests
  })
  const tc = record.toolchain
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    arch: arch.name,
    triple: arch.triple,
    netbsdMachine: arch.netbsdMachine,
    qemuVersion: record.host?.qemuVersion || undefined,
    toolchain: tc && {
      path: tc.dir,
      cc: tc.cc,
      gccVersion: tc.gccVersion,
      source: tc.source,
      cacheHit: tc.cacheHit
    },
    outcome,
    error: describeError(record, outcome),
    startedAt: record.startedAt.toISOString(),
    durationMs: Date.now() - record.startedAt.getTime(),
    phases: record.phases,
    tests: record.tests,
    counts: countOutcomes(record.tests),
    buildErrors: record.buildErrors,
    knownIssues,
    log: record.logFile
  }
}

function setOutputs(report: RunReport, record: JobRecord, ui: Ui): void {
  const outputs: Record<OutputName, string | number | boolean> = {
    outcome: report.outcome,
    'tests-passed': report.counts.passed,
    'tests-failed': report.counts.failed,
    'tests-hung': report.counts.hung,
    'tests-crashed': report.counts.crashed,
    'tests-skipped': report.counts.skipped,
    report: record.reportFile,
    log: record.logFile,
    triple: report.triple,
    'netbsd-machine': report.netbsdMachine,
    'qemu-version': report.qemuVersion ?? '',
    'toolchain-path': record.toolchain?.dir ?? '',
    cc: record.toolchain?.cc ?? '',
    'cache-hit': record.toolchain?.cacheHit ?? false
  }
  for (const [name, value] of Object.entries(outputs)) ui.setOutput(name, value)
}

/** Files of the artifact: the log, the report and the guest cores. */
function artifactFiles(report: RunReport, record: JobRecord): string[] {
  const files = [record.logFile, record.reportFile]
  for (const test of report.tests) {
    for (const trace of test.backtraces) {
      files.push(trace.core)
      if (trace.program) files.push(trace.program)
    }
  }
  return [...new Set(files)]
}

/**
 * Writes and publishes the report. Reporting problems become warnings: the
 * results of the run matter more than any one way of showing them.
 */
export async function finishReport(
  record: JobRecord,
  ui: Ui,
  artifacts: ArtifactService = new GitHubArtifactService()
): Promise<RunReport> {
  const report = buildReport(record)
  return ui.group('Report', async () => {
    await writeReport(record.reportFile, report)
    ui.info(`Report: ${record.reportFile}`)
    setOutputs(report, record, ui)
    annotate(report, ui, {
      workspace: record.workspace,
      srcPath: record.srcPath
    })
    const logTail =
      report.outcome === 'passed' ? [] : await readLogTail(record.logFile)
    const artifactName = `${RUN_ARTIFACT_PREFIX}${report.arch}`
    try {
      await ui.appendSummary(renderSummary(report, { logTail, artifactName }))
    } catch (error) {
      ui.warning(
        `Writing the job summary failed: ${errorMessage(error)}. The report ${record.reportFile} has the same results.`
      )
    }
    if (record.inputs.uploadLogs) {
      await uploadRunArtifact(
        artifactName,
        artifactFiles(report, record),
        path.dirname(path.dirname(record.logFile)),
        ui,
        artifacts
      )
    }
    return report
  })
}
