import path from 'node:path'
import { parseArgs } from 'node:util'
import { formatDuration } from '../duration.js'
import { errorMessage } from '../errors.js'
import { INPUTS, type InputName, readInputs } from '../inputs.js'
import { defaultTempDir, runJob } from '../job.js'
import { type RunReport } from '../results.js'
import { TerminalUi } from '../ui.js'
import { reportMatrixCommand } from './report.js'

const USAGE = `Usage: rump-cross --arch ARCH [options]
       rump-cross report DIR [--fail-on none|unexpected]

Cross-builds NetBSD rump kernels with buildrump.sh for ARCH and runs the
tests under qemu user-mode emulation. Options are named like the inputs of
the GitHub Action; list inputs (toolchain-url, known-issues) may be given
more than once. Example for a machine without internet access:

  rump-cross --arch powerpc \\
    --toolchain-url http://127.0.0.1:8000/{triple}-cross.tgz \\
    --buildrump-path ~/buildrump.sh

Options:
${Object.entries(INPUTS)
  .map(([name, spec]) => {
    const fallback = spec.default === '' ? '' : ` (default: ${spec.default})`
    return `  --${name.padEnd(17)} ${spec.description}${fallback}`
  })
  .join('\n')}
  --verbose           Print buildrump.sh output as it runs.
  --help              Print this help.

Exit status: 0 when the run passed, 1 when it did not, 2 for bad usage.`

const LIST_INPUTS = new Set<InputName>(['toolchain-url', 'known-issues'])

function formatResults(report: RunReport): string {
  const lines = [
    '',
    `Results for ${report.arch} (${report.triple}, NetBSD ${report.netbsdMachine}):`
  ]
  for (const test of report.tests) {
    const time =
      test.durationMs === undefined ? '' : ` ${formatDuration(test.durationMs)}`
    const expected = test.expected ? ' (known issue)' : ''
    lines.push(`  ${test.outcome.padEnd(8)} ${test.id}${time}${expected}`)
  }
  lines.push(
    `Outcome: ${report.outcome} after ${formatDuration(report.durationMs)}`
  )
  if (report.error) lines.push(`Error: ${report.error}`)
  lines.push(`Log: ${report.log}`)
  return lines.join('\n')
}

/**
 * Joins `--args VALUE` into `--args=VALUE`: buildrump.sh options start with
 * a dash, which parseArgs would otherwise take for a flag of its own.
 */
function joinOptionValues(argv: readonly string[]): string[] {
  const joined: string[] = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--args' && i + 1 < argv.length) {
      joined.push(`--args=${argv[++i]}`)
    } else {
      joined.push(argv[i])
    }
  }
  return joined
}

/**
 * Keeps the toolkit's `::debug::` lines (written straight to stdout by
 * @actions/tool-cache and @actions/cache) off the terminal, or shows them
 * as plain debug lines with --verbose.
 */
function hideWorkflowDebugLines(verbose: boolean): void {
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const text =
      typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    if (!text.startsWith('::debug::')) return write(chunk, ...rest)
    return verbose
      ? write(`debug: ${text.slice('::debug::'.length)}`, ...rest)
      : true
  }) as typeof process.stdout.write
}

/** Runs the CLI with the given arguments and returns its exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'report') return reportMatrixCommand(argv.slice(1))

  const options = Object.fromEntries(
    Object.keys(INPUTS).map(name => [
      name,
      { type: 'string' as const, multiple: LIST_INPUTS.has(name as InputName) }
    ])
  )
  let values: Record<string, string | string[] | boolean | undefined>
  try {
    values = parseArgs({
      args: joinOptionValues(argv),
      options: {
        ...options,
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      allowPositionals: false
    }).values
  } catch (error) {
    process.stderr.write(`rump-cross: ${errorMessage(error)}\n\n${USAGE}\n`)
    return 2
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }

  const read = (name: InputName): string => {
    const value = values[name]
    if (Array.isArray(value)) return value.join('\n')
    return typeof value === 'string' ? value : ''
  }
  let inputs
  try {
    inputs = readInputs(read)
  } catch (error) {
    process.stderr.write(`rump-cross: ${errorMessage(error)}\n`)
    return 2
  }

  const verbose = values.verbose === true
  hideWorkflowDebugLines(verbose)
  const ui = new TerminalUi(process.stdout, verbose)
  const tempDir = defaultTempDir(process.env)
  const report = await runJob(inputs, ui, {
    env: process.env,
    tempDir,
    workspace: path.resolve('.')
  })
  process.stdout.write(`${formatResults(report)}\n`)
  return report.outcome === 'passed' ? 0 : 1
}
