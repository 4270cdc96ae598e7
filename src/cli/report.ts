// `rump-cross report DIR`: the report sub-action for a folder of reports on
// a terminal.
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { errorMessage } from '../errors.js'
import { GitHubArtifactService } from '../report/artifact.js'
import { type ReportInputName, reportMatrix } from '../report/action.js'
import { TerminalUi } from '../ui.js'

const REPORT_USAGE = `Usage: rump-cross report DIR [--fail-on none|unexpected]

Reads every rump-cross JSON report under DIR and prints one compatibility
table, architectures by tests. --fail-on unexpected makes the exit status 1
when an architecture has a result that its known-issues did not list.`

/** Runs the report command and returns its exit status. */
export async function reportMatrixCommand(
  argv: readonly string[]
): Promise<number> {
  let folder: string | undefined
  let failOn = ''
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        'fail-on': { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      },
      allowPositionals: true
    })
    if (values.help) {
      process.stdout.write(`${REPORT_USAGE}\n`)
      return 0
    }
    if (positionals.length !== 1) {
      throw new Error('give exactly one folder of reports')
    }
    folder = positionals[0]
    failOn = values['fail-on'] ?? ''
  } catch (error) {
    process.stderr.write(
      `rump-cross report: ${errorMessage(error)}\n${REPORT_USAGE}\n`
    )
    return 2
  }

  const ui = new TerminalUi(process.stdout)
  const values: Record<ReportInputName, string> = {
    path: folder,
    'fail-on': failOn
  }
  const ok = await reportMatrix({
    ui,
    read: name => values[name],
    // Outside GitHub the service reports itself unavailable; with a folder
    // it is not used at all.
    artifacts: new GitHubArtifactService({}),
    tempDir: process.env.RUNNER_TEMP || os.tmpdir(),
    cwd: process.cwd()
  })
  const table = ui.outputs.get('table')
  if (table) process.stdout.write(`\n${await readFile(table, 'utf8')}`)
  return ok ? 0 : 1
}
