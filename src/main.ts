// The action's main step: read the inputs the runner passes, run the job,
// and fail the step when the run did not pass.
import * as core from '@actions/core'
import { errorMessage } from './errors.js'
import { type Inputs, readInputs } from './inputs.js'
import { defaultTempDir, runJob } from './job.js'
import { ActionUi } from './ui.js'

export async function run(): Promise<void> {
  let inputs: Inputs
  try {
    inputs = readInputs(name => core.getInput(name))
  } catch (error) {
    core.setOutput('outcome', 'setup-failed')
    core.setFailed(errorMessage(error))
    return
  }
  try {
    const report = await runJob(inputs, new ActionUi(), {
      env: process.env,
      tempDir: defaultTempDir(process.env),
      workspace: process.env.GITHUB_WORKSPACE
    })
    if (report.outcome !== 'passed') {
      core.setFailed(
        report.error ?? `rump-cross ${inputs.arch.name}: ${report.outcome}`
      )
    }
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}
