// The work folder of one architecture: one run at a time, and objects that
// are reused only when they were built with the same toolchain.
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { UserError, errorMessage } from '../errors.js'
import { type Ui } from '../ui.js'
import { type BuildrumpDirs } from './command.js'

const LOCK_FILE = 'run.lock'
const STAMP_FILE = '.rump-cross-toolchain.json'

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the work folder for this process. Two runs in one folder would
 * overwrite each other's log, report and objects. Returns the release.
 */
export async function lockArchFolder(
  archDir: string
): Promise<() => Promise<void>> {
  const lock = path.join(archDir, LOCK_FILE)
  try {
    await mkdir(archDir, { recursive: true })
  } catch (error) {
    throw new UserError(
      `Creating the work folder ${archDir} failed: ${errorMessage(error)}. Set RUNNER_TEMP to a writable folder.`
    )
  }
  // The pid goes into a file of its own first, which is then linked into
  // place: no other run can read the lock while it is still empty.
  const draft = `${lock}.${process.pid}`
  await writeFile(draft, `${process.pid}\n`)
  try {
    for (let tries = 0; tries < 2; tries++) {
      try {
        await link(draft, lock)
        return () => rm(lock, { force: true })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      const owner = Number(
        (await readFile(lock, 'utf8').catch(() => '')).trim()
      )
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new UserError(
          `Another rump-cross run (pid ${owner}) is using the work folder ${archDir}. Wait for it to end, or give this run another RUNNER_TEMP.`
        )
      }
      // The run that left it has ended.
      await rm(lock, { force: true })
    }
  } finally {
    await rm(draft, { force: true })
  }
  throw new UserError(
    `The work folder ${archDir} could not be locked. Remove ${lock} if no rump-cross run is going on.`
  )
}

/** Identity of the toolchain that built the objects in a folder. */
export interface ToolchainStamp {
  readonly cc: string
  readonly gccVersion?: string
  readonly dumpMachine?: string
  readonly sha256?: string
}

/**
 * Keeps the object and install folders of an earlier run of the same
 * toolchain, which makes a rerun on a laptop fast, and empties them when
 * another toolchain built them.
 */
export async function prepareBuildFolders(
  dirs: BuildrumpDirs,
  stamp: ToolchainStamp,
  ui: Ui
): Promise<void> {
  const file = path.join(dirs.obj, STAMP_FILE)
  const expected = JSON.stringify(stamp)
  const found = await readFile(file, 'utf8').catch(() => undefined)
  if (found !== undefined && found.trim() === expected) {
    ui.info(
      `Reusing the objects of an earlier run in ${dirs.obj}; delete that folder for a clean build`
    )
    return
  }
  if (found !== undefined) {
    ui.info(
      `The objects in ${dirs.obj} were built with another toolchain; starting clean`
    )
  }
  await rm(dirs.obj, { recursive: true, force: true })
  await rm(dirs.dest, { recursive: true, force: true })
  await mkdir(dirs.obj, { recursive: true })
  await mkdir(dirs.dest, { recursive: true })
  await writeFile(file, `${expected}\n`)
}
