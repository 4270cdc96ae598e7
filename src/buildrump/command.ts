// The buildrump.sh command line and environment of the recipe that works
// with today's compilers (verified with buildrump.sh 6cccd46, gcc 12):
//  - CFLAGS, AFLAGS and LDFLAGS in the environment make it stop at once, so
//    they are removed and flags go in through -F;
//  - NetBSD make variables are upper case (`-V MKPIC=no`);
//  - gcc >= 10 needs -fcommon for the host tools (HOST_CFLAGS, read by
//    NetBSD's build.sh) and for target code;
//  - gcc 12 turns warnings in librumpuser into errors without NOGCCERROR;
//  - gcc >= 14 rejects implicit function declarations unless
//    -Wno-error=implicit-function-declaration is given.
import path from 'node:path'
import { UserError } from '../errors.js'
import { RUN_ID_VARIABLE } from '../watchdog/proc.js'

/** Variables buildrump.sh rejects when set in its environment. */
export const REJECTED_ENV = ['CFLAGS', 'AFLAGS', 'LDFLAGS'] as const

export const HOST_CFLAGS =
  '-O -fcommon -Wno-error=implicit-function-declaration'

const RECIPE_ARGS = [
  '-F',
  'LDFLAGS=-static',
  '-V',
  'MKPIC=no',
  '-V',
  'NOGCCERROR=1',
  '-F',
  'CFLAGS=-fcommon',
  '-F',
  'CFLAGS=-Wno-error=implicit-function-declaration'
]

/** buildrump.sh options that take a value (its getopts string). */
const OPTIONS_WITH_VALUE = new Set(['d', 'j', 'o', 's', 'T', 'V', 'F'])
const OPTIONS_WITHOUT_VALUE = new Set(['D', 'H', 'k', 'q', 'r'])
/** Options the run sets itself; a user value would break its bookkeeping. */
const OPTIONS_OWNED = new Set(['s', 'o', 'd'])

export interface BuildrumpDirs {
  readonly src: string
  readonly obj: string
  readonly dest: string
}

/** The order in which buildrump.sh runs its commands, whatever the order given. */
const COMMAND_ORDER = [
  'checkout',
  'checkoutgit',
  'checkoutcvs',
  'probe',
  'tools',
  'build',
  'kernelheaders',
  'install',
  'tests'
]

/**
 * Expands `fullbuild` into the commands it stands for and puts them in the
 * order buildrump.sh itself uses, so that each one runs as its own
 * invocation with its own log group, duration and exit status.
 */
export function expandCommands(commands: readonly string[]): string[] {
  const phases = new Set<string>()
  for (const command of commands) {
    if (command === 'fullbuild') {
      for (const phase of ['tools', 'build', 'install']) phases.add(phase)
    } else {
      phases.add(command)
    }
  }
  if (phases.has('probe') && phases.size > 1) {
    throw new UserError(
      `Input commands "${commands.join(' ')}" combines probe with other commands, which buildrump.sh rejects. Run probe alone.`
    )
  }
  return COMMAND_ORDER.filter(command => phases.has(command))
}

/**
 * Checks user arguments against buildrump.sh's getopts string, so that a
 * typo fails before a long build instead of printing its usage text.
 */
export function checkUserArgs(args: readonly string[]): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const argsText = args.join(' ')
    if (!arg.startsWith('-') || arg === '-' || arg.length < 2) {
      throw new UserError(
        `Input args "${argsText}" contains "${arg}", which is not a buildrump.sh option. Put buildrump.sh commands in the commands input and options such as "-V KEY=VALUE" or "-F CFLAGS=-O2" in args.`
      )
    }
    const letters = arg.slice(1)
    for (let j = 0; j < letters.length; j++) {
      const letter = letters[j]
      if (OPTIONS_OWNED.has(letter)) {
        throw new UserError(
          `Input args "${argsText}" sets -${letter}, which rump-cross sets itself. Use the src-path input for -s; the object (-o) and install (-d) folders are kept under RUNNER_TEMP so that socket paths stay short.`
        )
      }
      if (OPTIONS_WITH_VALUE.has(letter)) {
        // The value is the rest of this word or the next word.
        if (j === letters.length - 1) {
          if (i + 1 >= args.length) {
            throw new UserError(
              `Input args "${argsText}" ends with -${letter}, which needs a value. Add it, for example "-${letter} VALUE".`
            )
          }
          i++
        }
        break
      }
      if (!OPTIONS_WITHOUT_VALUE.has(letter)) {
        throw new UserError(
          `Input args "${argsText}" contains the unknown buildrump.sh option -${letter}. Known options: -D -H -k -q -r and -d -j -o -s -T -V -F with a value.`
        )
      }
    }
  }
}

/** Builds the argument list for one buildrump.sh invocation. */
export function buildrumpArgs(
  dirs: BuildrumpDirs,
  jobs: number,
  userArgs: readonly string[],
  command: string
): string[] {
  return [
    '-s',
    dirs.src,
    '-o',
    dirs.obj,
    '-d',
    dirs.dest,
    '-j',
    String(jobs),
    '-qq',
    ...RECIPE_ARGS,
    // User arguments come after the recipe so that they win where
    // buildrump.sh keeps the last value.
    ...userArgs,
    command
  ]
}

export interface BuildrumpEnv {
  readonly env: NodeJS.ProcessEnv
  /** Variables that were set and had to be removed. */
  readonly removed: string[]
}

/**
 * Builds the environment of buildrump.sh: the base environment without the
 * variables it rejects, with the toolchain's tools and the host flags.
 */
export function buildrumpEnv(
  base: NodeJS.ProcessEnv,
  tools: Readonly<Record<string, string>>,
  toolchainBin: string,
  runId: string
): BuildrumpEnv {
  const env: NodeJS.ProcessEnv = { ...base }
  const removed: string[] = []
  for (const name of REJECTED_ENV) {
    if (env[name] !== undefined) {
      if (env[name] !== '') removed.push(name)
      delete env[name]
    }
  }
  const userHostFlags = base.HOST_CFLAGS?.trim()
  env.HOST_CFLAGS = userHostFlags
    ? `${HOST_CFLAGS} ${userHostFlags}`
    : HOST_CFLAGS
  Object.assign(env, tools)
  // An empty entry would put the current folder on PATH.
  env.PATH = base.PATH
    ? `${toolchainBin}${path.delimiter}${base.PATH}`
    : toolchainBin
  // Marks every process of the run, daemons included, so that the watchdog
  // and the cleanup can find them after they leave the process group.
  env[RUN_ID_VARIABLE] = runId
  return { env, removed }
}

/** Returns the folder of one architecture's work files under `tempRoot`. */
export function archFolder(tempRoot: string, archName: string): string {
  return path.join(tempRoot, 'rump-cross', archName)
}

/**
 * Returns the object and install folders of one architecture. They stay
 * short because the network tests bind unix sockets below them, and a
 * socket path is limited to 108 bytes.
 */
export function workFolders(archDir: string, srcPath: string): BuildrumpDirs {
  return {
    src: srcPath,
    obj: path.join(archDir, 'obj'),
    dest: path.join(archDir, 'dest')
  }
}

/** Maximum object folder length that leaves room for the socket paths. */
export const MAX_OBJ_PATH = 60
