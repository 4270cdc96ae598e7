// Finds buildrump.sh and the NetBSD sources, cloning upstream when the
// given folder has no buildrump.sh.
import { execFile } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { UserError, errorMessage } from '../errors.js'
import { type Ui } from '../ui.js'

const run = promisify(execFile)

export const UPSTREAM_URL = 'https://github.com/rumpkernel/buildrump.sh'

/** Limit for each git command of a clone, in milliseconds. */
const GIT_TIMEOUT_MS = 300_000

export interface BuildrumpSource {
  readonly script: string
  /** NetBSD sources: src-path, or the src folder next to buildrump.sh. */
  readonly srcPath: string
  /** Set when upstream was cloned because the folder had no buildrump.sh. */
  readonly clonedRef?: string
  /** Whether the NetBSD sources must be fetched with `checkout` first. */
  readonly needsCheckout: boolean
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile()
}

async function cloneUpstream(
  folder: string,
  ref: string,
  ui: Ui
): Promise<void> {
  ui.info(`Cloning ${UPSTREAM_URL} at ${ref} into ${folder}`)
  await rm(folder, { recursive: true, force: true })
  await mkdir(folder, { recursive: true })
  const git = (args: string[]): Promise<unknown> =>
    run('git', args, { cwd: folder, timeout: GIT_TIMEOUT_MS })
  try {
    await git(['init', '-q'])
    await git(['fetch', '-q', '--depth', '1', UPSTREAM_URL, ref])
    await git(['checkout', '-q', 'FETCH_HEAD'])
  } catch (error) {
    // A half clone would be taken for a checkout by the next run.
    await rm(folder, { recursive: true, force: true })
    throw new UserError(
      `Cloning buildrump.sh from ${UPSTREAM_URL} at ${ref} failed: ${errorMessage(error).trim()}. ` +
        'Without internet access, pass --buildrump-path (input buildrump-path) with a fetched buildrump.sh checkout that has its src folder.'
    )
  }
}

/**
 * Returns the buildrump.sh to run: the one in `buildrumpPath`, or upstream
 * cloned at `ref` into `cloneFolder` when that folder has none. The user's
 * folder is never written to.
 */
export async function locateBuildrump(
  request: {
    buildrumpPath: string
    buildrumpRef: string
    srcPath?: string
    cloneFolder: string
  },
  ui: Ui
): Promise<BuildrumpSource> {
  const { buildrumpPath, buildrumpRef, cloneFolder } = request
  if (!existsSync(buildrumpPath) || !statSync(buildrumpPath).isDirectory()) {
    throw new UserError(
      `buildrump-path "${buildrumpPath}" is not a folder. Set it to the folder that contains buildrump.sh, or leave it at its default (the workspace) to clone upstream when the workspace has none.`
    )
  }
  let script = path.join(buildrumpPath, 'buildrump.sh')
  let clonedRef: string | undefined
  if (!isFile(script)) {
    ui.info(`No buildrump.sh in ${buildrumpPath}`)
    script = path.join(cloneFolder, 'buildrump.sh')
    if (!isFile(script)) await cloneUpstream(cloneFolder, buildrumpRef, ui)
    else ui.info(`Using the clone from an earlier run in ${cloneFolder}`)
    clonedRef = buildrumpRef
  }
  const srcPath = request.srcPath ?? path.join(path.dirname(script), 'src')
  const needsCheckout = !existsSync(path.join(srcPath, 'sys'))
  ui.info(`buildrump.sh: ${script}`)
  ui.info(
    needsCheckout
      ? `NetBSD sources: ${srcPath} has none, so "buildrump.sh checkout" fetches them first`
      : `NetBSD sources: ${srcPath}`
  )
  return { script, srcPath, clonedRef, needsCheckout }
}
