// Finds buildrump.sh and the NetBSD sources, cloning upstream when the
// given folder has no buildrump.sh.
import { execFile } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { UserError, errorMessage } from '../errors.js'
import { type Ui } from '../ui.js'

const run = promisify(execFile)

export const UPSTREAM_URL = 'https://github.com/rumpkernel/buildrump.sh'

/** Seconds a clone may take before it counts as unreachable. */
const CLONE_TIMEOUT_MS = 300_000

export interface BuildrumpSource {
  readonly script: string
  /** Set when upstream was cloned because the folder had no buildrump.sh. */
  readonly clonedRef?: string
  /** Whether the NetBSD sources must be fetched with `checkout` first. */
  readonly needsCheckout: boolean
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile()
}

async function isEmptyFolder(folder: string): Promise<boolean> {
  try {
    return (await readdir(folder)).length === 0
  } catch {
    return true
  }
}

async function cloneUpstream(
  folder: string,
  ref: string,
  ui: Ui
): Promise<void> {
  ui.info(`Cloning ${UPSTREAM_URL} at ${ref} into ${folder}`)
  await mkdir(folder, { recursive: true })
  const git = (args: string[]): Promise<unknown> =>
    run('git', args, { cwd: folder, timeout: CLONE_TIMEOUT_MS })
  try {
    await git(['init', '-q'])
    await git(['fetch', '-q', '--depth', '1', UPSTREAM_URL, ref])
    await git(['checkout', '-q', 'FETCH_HEAD'])
  } catch (error) {
    throw new UserError(
      `Cloning buildrump.sh from ${UPSTREAM_URL} at ${ref} failed: ${errorMessage(error).trim()}. ` +
        'Without access to github.com, pass --buildrump-path (input buildrump-path) to a folder that holds a fetched buildrump.sh and its src folder.'
    )
  }
}

/**
 * Returns the buildrump.sh to run: the one in `buildrumpPath`, or upstream
 * cloned at `ref` into that folder (or into `cloneFolder` when the given
 * folder is not empty, such as a workspace holding another project).
 */
export async function locateBuildrump(
  request: {
    buildrumpPath: string
    buildrumpRef: string
    srcPath: string
    cloneFolder: string
  },
  ui: Ui
): Promise<BuildrumpSource> {
  let script = path.join(request.buildrumpPath, 'buildrump.sh')
  let clonedRef: string | undefined
  if (!isFile(script)) {
    const target = (await isEmptyFolder(request.buildrumpPath))
      ? request.buildrumpPath
      : request.cloneFolder
    ui.info(`No buildrump.sh in ${request.buildrumpPath}`)
    if (!isFile(path.join(target, 'buildrump.sh'))) {
      await cloneUpstream(target, request.buildrumpRef, ui)
    }
    script = path.join(target, 'buildrump.sh')
    clonedRef = request.buildrumpRef
  }
  if (!isFile(script)) {
    throw new UserError(
      `buildrump.sh is missing in ${path.dirname(script)}. Set buildrump-path to the folder that holds it.`
    )
  }
  const needsCheckout = !existsSync(path.join(request.srcPath, 'sys'))
  ui.info(`buildrump.sh: ${script}`)
  ui.info(
    needsCheckout
      ? `NetBSD sources: ${request.srcPath} is missing, so "buildrump.sh checkout" fetches them first`
      : `NetBSD sources: ${request.srcPath}`
  )
  return { script, clonedRef, needsCheckout }
}
