// One run of rump-cross for one architecture, in the order of the product
// contract: toolchain, host, buildrump.sh with watched tests, report. The
// action and the CLI both call runJob; they differ only in the Ui and in
// where the inputs come from.
import { randomUUID } from 'node:crypto'
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { runBuildrump, notRunResults } from './buildrump/index.js'
import {
  archFolder,
  buildrumpEnv,
  MAX_OBJ_PATH,
  workFolders
} from './buildrump/command.js'
import { lockArchFolder, prepareBuildFolders } from './buildrump/folders.js'
import { locateBuildrump } from './buildrump/locate.js'
import { formatDuration } from './duration.js'
import { UserError, errorMessage } from './errors.js'
import { prepareHost } from './host/index.js'
import { type Inputs } from './inputs.js'
import { finishReport, type JobRecord } from './report/finish.js'
import { type PhaseTiming, type RunReport } from './results.js'
import { StopSwitch } from './stop.js'
import { binutilsEnv, provideToolchain } from './toolchain/index.js'
import { type Ui } from './ui.js'

export interface JobContext {
  readonly env: NodeJS.ProcessEnv
  /** Folder for work files: RUNNER_TEMP on a runner, a temp folder else. */
  readonly tempDir: string
  /** GITHUB_WORKSPACE, for workspace-relative annotation paths. */
  readonly workspace?: string
}

/** Returns the folder for work files of this environment. */
export function defaultTempDir(env: NodeJS.ProcessEnv): string {
  return env.RUNNER_TEMP || os.tmpdir()
}

async function timed<T>(
  ui: Ui,
  phases: PhaseTiming[],
  name: string,
  title: string,
  fn: () => Promise<T>
): Promise<T> {
  const started = Date.now()
  return ui.group(title, async () => {
    try {
      const value = await fn()
      const durationMs = Date.now() - started
      phases.push({ name, durationMs, ok: true })
      ui.info(`${title}: done in ${formatDuration(durationMs)}`)
      return value
    } catch (error) {
      phases.push({ name, durationMs: Date.now() - started, ok: false })
      throw error
    }
  })
}

/** Creates the log folder and opens the log; a write error only warns. */
async function openLog(file: string, ui: Ui): Promise<WriteStream> {
  try {
    await mkdir(path.dirname(file), { recursive: true })
  } catch (error) {
    throw new UserError(
      `Creating the log folder ${path.dirname(file)} failed: ${errorMessage(error)}. Set RUNNER_TEMP to a writable folder.`
    )
  }
  const log = createWriteStream(file, { flags: 'w' })
  log.once('error', error => {
    ui.warning(
      `Writing the log ${file} failed: ${errorMessage(error)}. The run goes on; its output is still shown here.`
    )
  })
  return log
}

/**
 * Runs the whole job and returns its report. Throws only when the report
 * itself cannot be written.
 */
export async function runJob(
  inputs: Inputs,
  ui: Ui,
  context: JobContext
): Promise<RunReport> {
  const { arch } = inputs
  const base = archFolder(context.tempDir, arch.name)
  const logDir = path.join(base, 'logs')
  const logFile = path.join(logDir, `rump-cross-${arch.name}.log`)
  const record: JobRecord = {
    inputs,
    startedAt: new Date(),
    logFile,
    reportFile: path.join(logDir, `rump-cross-${arch.name}.json`),
    phases: [],
    tests: notRunResults(
      inputs.commands.includes('tests')
        ? 'the run stopped before the tests'
        : 'tests is not among the commands'
    ),
    buildErrors: [],
    workspace: context.workspace
  }
  const unlock = await lockArchFolder(base)
  let log: WriteStream
  try {
    log = await openLog(logFile, ui)
  } catch (error) {
    await unlock()
    throw error
  }
  ui.info(
    `rump-cross for ${arch.name}: triple ${arch.triple}, qemu-${arch.qemu}, NetBSD machine ${arch.netbsdMachine}`
  )

  const stopSwitch = new StopSwitch(ui, inputs.timeoutMs)
  const step = <T>(name: string, title: string, fn: () => Promise<T>) =>
    timed(ui, record.phases, name, title, () => stopSwitch.race(fn()))
  try {
    // 1. Inputs were read and validated by the caller.

    // 2. The musl cross toolchain.
    const toolchain = await step(
      'toolchain',
      `Provide the ${arch.triple} toolchain`,
      () =>
        provideToolchain(
          {
            arch,
            urls: inputs.toolchainUrls,
            sha256: inputs.toolchainSha256,
            toolchainPath: inputs.toolchainPath,
            cache: inputs.cache
          },
          ui,
          { tempDir: context.tempDir }
        )
    )
    record.toolchain = toolchain

    // 3. qemu, binfmt and a foreign smoke test.
    record.host = await step(
      'host',
      `Prepare qemu-${arch.qemu} and binfmt`,
      () =>
        prepareHost(
          {
            arch,
            cc: toolchain.cc,
            backtraces: inputs.backtraces,
            workDir: path.join(base, 'smoke')
          },
          ui
        )
    )

    // 4 and 5. buildrump.sh with the recipe, tests under the watchdog.
    const source = await step('locate', 'Locate buildrump.sh', () =>
      locateBuildrump(
        {
          buildrumpPath: inputs.buildrumpPath,
          buildrumpRef: inputs.buildrumpRef,
          srcPath: inputs.srcPath,
          cloneFolder: path.join(base, 'buildrump.sh')
        },
        ui
      )
    )
    const dirs = workFolders(base, source.srcPath)
    if (dirs.obj.length > MAX_OBJ_PATH) {
      ui.warning(
        `The object folder ${dirs.obj} is ${dirs.obj.length} characters long; unix socket paths of the network tests may exceed 108 bytes. Use a shorter RUNNER_TEMP.`
      )
    }
    await prepareBuildFolders(
      dirs,
      {
        cc: toolchain.cc,
        gccVersion: toolchain.gccVersion,
        dumpMachine: toolchain.dumpMachine,
        sha256: toolchain.sha256
      },
      ui
    )
    record.srcPath = dirs.src
    const runId = randomUUID()
    const { env, removed } = buildrumpEnv(
      context.env,
      binutilsEnv(toolchain),
      toolchain.binDir,
      runId
    )
    const tools = binutilsEnv(toolchain)
    const toolLine = [...Object.keys(tools), 'HOST_CFLAGS']
      .map(name => `${name}=${env[name]}`)
      .join(' ')
    ui.info(`Environment of buildrump.sh: ${toolLine}`)
    log.write(`### rump-cross: environment ${toolLine}\n`)
    for (const name of removed) {
      ui.warning(
        `${name}="${context.env[name]}" was set in the environment, for example by an earlier step, and was removed because buildrump.sh stops when it is set. Pass such flags with args, such as "-F ${name}=...".`,
        { title: `${arch.name}: ${name} removed` }
      )
    }
    const outcome = await runBuildrump(
      {
        arch,
        script: source.script,
        dirs,
        jobs: inputs.jobs,
        userArgs: inputs.args,
        commands: source.needsCheckout
          ? ['checkout', ...inputs.commands]
          : inputs.commands,
        env,
        runId,
        testTimeoutMs: inputs.testTimeoutMs,
        backtraces: inputs.backtraces,
        log
      },
      ui,
      control => stopSwitch.attach(control)
    )
    record.phases.push(...outcome.phases)
    record.buildErrors = outcome.buildErrors
    record.stopped = outcome.stopped
    record.testsStarted = outcome.testsStarted
    record.testsFailed = outcome.testsFailed
    if (outcome.tests.length > 0) record.tests = outcome.tests
    if (outcome.failure) {
      record.buildFailure =
        outcome.failure.command === 'checkout'
          ? `buildrump.sh checkout could not fetch the NetBSD sources into ${dirs.src}: ${outcome.failure.message}. Without network access, pass --src-path (input src-path) to a folder that holds them.`
          : `buildrump.sh ${outcome.failure.command} failed: ${outcome.failure.message}. The full log is ${logFile}.`
      record.failedCommand = outcome.failure.command
    }
  } catch (error) {
    if (!(error instanceof UserError)) {
      // An unexpected error still ends in a report, with its stack in the
      // debug log for a bug report.
      ui.debug(
        error instanceof Error ? (error.stack ?? error.message) : String(error)
      )
    }
    record.setupFailure = errorMessage(error)
    log.write(`### rump-cross: ${record.setupFailure}\n`)
  } finally {
    stopSwitch.dispose()
    await new Promise<void>(resolve => log.end(resolve))
  }

  try {
    return await finishReport(record, ui)
  } finally {
    await unlock()
  }
}
