// One run of rump-cross for one architecture, in the order of the product
// contract: toolchain, host, buildrump.sh with watched tests, report. The
// action and the CLI both call runJob; they differ only in the Ui and in
// where the inputs come from.
import { randomUUID } from 'node:crypto'
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { formatDuration } from './duration.js'
import { UserError, errorMessage } from './errors.js'
import { type Inputs } from './inputs.js'
import { runBuildrump, notRunResults } from './buildrump/index.js'
import { StopSwitch } from './stop.js'
import {
  buildrumpEnv,
  checkUserArgs,
  MAX_OBJ_PATH,
  workFolders
} from './buildrump/command.js'
import { locateBuildrump } from './buildrump/locate.js'
import { prepareHost, type HostInfo } from './host/index.js'
import { finishReport, type JobRecord } from './report/finish.js'
import { type PhaseTiming, type RunReport } from './results.js'
import {
  binutilsEnv,
  provideToolchain,
  type Toolchain
} from './toolchain/index.js'
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

function openLog(file: string): WriteStream {
  return createWriteStream(file, { flags: 'w' })
}

/** Runs the whole job and returns its report; never throws for user errors. */
export async function runJob(
  inputs: Inputs,
  ui: Ui,
  context: JobContext
): Promise<RunReport> {
  const started = new Date()
  const { arch } = inputs
  const base = path.join(context.tempDir, 'rump-cross', arch.name)
  const logDir = path.join(base, 'logs')
  await mkdir(logDir, { recursive: true })
  const logFile = path.join(logDir, `rump-cross-${arch.name}.log`)
  const log = openLog(logFile)
  const runId = randomUUID()
  const record: JobRecord = {
    inputs,
    startedAt: started,
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
  ui.info(
    `rump-cross for ${arch.name}: triple ${arch.triple}, qemu-${arch.qemu}, NetBSD machine ${arch.netbsdMachine}`
  )

  let toolchain: Toolchain | undefined
  let host: HostInfo | undefined
  const stopSwitch = new StopSwitch(ui, inputs.timeoutMs)
  try {
    // 1. Inputs were read and validated by the caller; check what depends
    //    on buildrump.sh's option syntax before any download.
    checkUserArgs(inputs.args)
    const dirs = workFolders(context.tempDir, arch.name, inputs.srcPath)
    if (dirs.obj.length > MAX_OBJ_PATH) {
      ui.warning(
        `The object folder ${dirs.obj} is ${dirs.obj.length} characters long; unix socket paths of the network tests may exceed 108 bytes. Use a shorter RUNNER_TEMP.`
      )
    }

    // 2. The musl cross toolchain.
    toolchain = await timed(
      ui,
      record.phases,
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
          ui
        )
    )
    record.toolchain = toolchain

    stopSwitch.check()

    // 3. qemu, binfmt and a foreign smoke test.
    host = await timed(
      ui,
      record.phases,
      'host',
      `Prepare qemu-${arch.qemu} and binfmt`,
      () =>
        prepareHost(
          {
            arch,
            cc: toolchain!.cc,
            backtraces: inputs.backtraces,
            workDir: path.join(base, 'smoke')
          },
          ui
        )
    )
    record.host = host

    stopSwitch.check()

    // 4 and 5. buildrump.sh with the recipe, tests under the watchdog.
    const source = await timed(
      ui,
      record.phases,
      'locate',
      'Locate buildrump.sh',
      () =>
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
    const { env, removed } = buildrumpEnv(
      context.env,
      binutilsEnv(toolchain),
      toolchain.binDir,
      runId
    )
    for (const name of removed) {
      ui.warning(
        `${name} was set in the environment (by an earlier step?) and was removed, because buildrump.sh stops when it is set. Pass flags with args, such as "-F ${name}=...".`,
        { title: `${arch.name}: ${name} removed` }
      )
    }
    stopSwitch.check()
    const commands = source.needsCheckout
      ? ['checkout', ...inputs.commands]
      : inputs.commands
    const outcome = await runBuildrump(
      {
        arch,
        script: source.script,
        dirs,
        jobs: inputs.jobs,
        userArgs: inputs.args,
        commands,
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
    if (outcome.tests.length > 0) record.tests = outcome.tests
    if (outcome.failure) {
      record.buildFailure =
        outcome.failure.command === 'checkout'
          ? `buildrump.sh checkout could not fetch the NetBSD sources into ${inputs.srcPath}: ${outcome.failure.message}. Without network access, pass --src-path (input src-path) to a folder that holds them.`
          : `buildrump.sh ${outcome.failure.command} failed: ${outcome.failure.message}`
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
  } finally {
    stopSwitch.dispose()
    await new Promise<void>(resolve => log.end(resolve))
  }
  record.stopped ??= stopSwitch.reason

  return finishReport(record, ui)
}
