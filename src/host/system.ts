// The seam between the host step and the machine it prepares. Tests replace
// the commands, the binfmt_misc folder, the user and the CPU to simulate
// other hosts.
import { spawn } from 'node:child_process'
import { constants as fsConstants } from 'node:fs'
import { access, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { errorMessage } from '../errors.js'

export interface RunOptions {
  /** Variables added to the inherited environment. */
  readonly env?: Readonly<Record<string, string>>
  readonly cwd?: string
  /** Text written to the standard input, which is then closed. */
  readonly input?: string
  /** The process is killed with SIGKILL after this many milliseconds. */
  readonly timeoutMs?: number
}

export interface RunResult {
  /** Exit status; null when the process did not start or died on a signal. */
  readonly exitCode: number | null
  readonly signal: string | null
  readonly stdout: string
  readonly stderr: string
  /** errno code (ENOENT, EACCES, ...) when the program could not start. */
  readonly spawnError?: string
  readonly timedOut: boolean
}

export interface HostSystem {
  /** Mount point of binfmt_misc. */
  readonly binfmtRoot: string
  readonly isRoot: boolean
  /** CPU of the host as `uname -m` prints it (x86_64, aarch64, ...). */
  readonly hostArch: string
  /** Folders searched for programs such as qemu-ppc-static, in order. */
  readonly searchPath: readonly string[]
  run(
    command: string,
    args: readonly string[],
    options?: RunOptions
  ): Promise<RunResult>
}

export const DEFAULT_BINFMT_ROOT = '/proc/sys/fs/binfmt_misc'

/** Runs a program without a shell and collects its output. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {}
): Promise<RunResult> {
  return new Promise(resolve => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe']
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    let timedOut = false
    let spawnError: string | undefined
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true
            child.kill('SIGKILL')
          }, options.timeoutMs)

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    // A program that exits without reading its input closes the pipe early.
    child.stdin.on('error', () => {})
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error.code ?? error.message
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({
        exitCode: spawnError === undefined ? code : null,
        signal,
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
        spawnError,
        timedOut
      })
    })
    child.stdin.end(options.input ?? '')
  })
}

/** Returns the HostSystem of the machine this process runs on. */
export function defaultHostSystem(): HostSystem {
  const searchPath = (process.env.PATH ?? '').split(path.delimiter)
  for (const dir of ['/usr/local/bin', '/usr/bin', '/bin']) {
    if (!searchPath.includes(dir)) searchPath.push(dir)
  }
  return {
    binfmtRoot: DEFAULT_BINFMT_ROOT,
    isRoot: process.getuid?.() === 0,
    hostArch: os.machine(),
    searchPath: searchPath.filter(dir => dir !== ''),
    run: runCommand
  }
}

/**
 * Returns the first executable file named one of `names`. Every folder is
 * searched for a name before the next name is tried.
 */
export async function findProgram(
  system: HostSystem,
  names: readonly string[]
): Promise<string | undefined> {
  for (const name of names) {
    for (const dir of system.searchPath) {
      const file = path.join(dir, name)
      try {
        await access(file, fsConstants.X_OK)
        return file
      } catch {
        // Not in this folder; try the next one.
      }
    }
  }
  return undefined
}

/** Runs a command as root, through `sudo -n` when this process is not root. */
export function runAsRoot(
  system: HostSystem,
  command: string,
  args: readonly string[],
  options?: RunOptions
): Promise<RunResult> {
  if (system.isRoot) return system.run(command, args, options)
  return system.run('sudo', ['-n', command, ...args], options)
}

/**
 * Writes `text` to a file as root in a single write, which is what the
 * binfmt_misc control files expect. Returns the error text, or undefined on
 * success.
 */
export async function writeAsRoot(
  system: HostSystem,
  file: string,
  text: string
): Promise<string | undefined> {
  if (system.isRoot) {
    try {
      await writeFile(file, text)
      return undefined
    } catch (error) {
      return errorMessage(error)
    }
  }
  const result = await system.run('sudo', ['-n', 'tee', file], {
    input: text
  })
  return result.exitCode === 0 ? undefined : describeFailure(result)
}

/** Summarizes why a command failed, for error messages. */
export function describeFailure(result: RunResult, maxLines = 5): string {
  if (result.spawnError !== undefined) {
    return `could not start (${result.spawnError})`
  }
  if (result.timedOut) return 'timed out'
  const status =
    result.signal !== null
      ? `killed by ${result.signal}`
      : `exit code ${result.exitCode}`
  const tail =
    lastLines(result.stderr, maxLines) || lastLines(result.stdout, maxLines)
  return tail === '' ? status : `${status}: ${tail}`
}

function lastLines(text: string, count: number): string {
  const lines = text
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '')
  return lines.slice(-count).join(' | ')
}
