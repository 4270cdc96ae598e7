// Finding the C compiler for the target in an extracted or installed
// toolchain, and asking it what it is.
import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Arch } from '../arches.js'
import { UserError, errorMessage } from '../errors.js'
import type { Ui } from '../ui.js'

const run = promisify(execFile)

export interface FoundCompiler {
  /** Toolchain folder, the parent of `bin/`. */
  readonly dir: string
  readonly binDir: string
  /** Tool name prefix including the last dash, such as `powerpc-linux-musl-`. */
  readonly prefix: string
  /** Absolute path of `<prefix>gcc`. */
  readonly cc: string
}

export interface CompilerFacts {
  readonly gccVersion: string
  readonly dumpMachine: string
}

// Number of folder levels below the given folder that are searched for
// `bin/`. The archive's top folder (`<triple>-cross/`, `<vendor-triple>/`)
// is one level.
const SEARCH_DEPTH = 2

/** Returns the tool prefixes a toolchain for `arch` may use, in order of preference. */
export function toolPrefixes(arch: Arch): string[] {
  return [`${arch.triple}-`, `${arch.vendorTriple}-`]
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file)
    await fs.access(file, fs.constants.X_OK)
    return stat.isFile()
  } catch {
    return false
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory()
  } catch {
    return false
  }
}

/**
 * Lists candidate toolchain folders: `root` itself (or its parent when root
 * is a `bin/` folder), then real subfolders up to SEARCH_DEPTH levels down.
 * Symbolic links to folders are not followed, so a link to `/` cannot make
 * the search walk the whole file system.
 */
async function candidateFolders(root: string): Promise<string[]> {
  const folders = [root]
  if (path.basename(root) === 'bin') folders.unshift(path.dirname(root))
  let level = [root]
  for (let depth = 0; depth < SEARCH_DEPTH; depth++) {
    const next: string[] = []
    for (const dir of level) {
      let entries
      try {
        entries = await fs.readdir(dir, { withFileTypes: true })
      } catch {
        continue
      }
      for (const entry of entries) {
        if (entry.isDirectory() && entry.name !== 'bin') {
          next.push(path.join(dir, entry.name))
        }
      }
    }
    next.sort()
    folders.push(...next)
    level = next
  }
  return folders
}

/** Names in a `bin/` folder that are C compilers: `*-gcc`, not `*-gcc-ar` or `*-gcc-12`. */
export function compilerNames(names: readonly string[]): string[] {
  return names.filter(name => name.endsWith('-gcc')).sort()
}

/**
 * Finds `bin/<triple>-gcc` or `bin/<vendor-triple>-gcc` in `root` or in a
 * folder up to two levels below it. Throws UserError listing the `bin/`
 * folders found and what they contain when there is no compiler for `arch`.
 */
export async function findCompiler(
  root: string,
  arch: Arch
): Promise<FoundCompiler> {
  const prefixes = toolPrefixes(arch)
  const seen: string[] = []

  for (const dir of await candidateFolders(root)) {
    const binDir = path.join(dir, 'bin')
    if (!(await isDirectory(binDir))) continue
    for (const prefix of prefixes) {
      const cc = path.join(binDir, `${prefix}gcc`)
      if (await isExecutableFile(cc)) return { dir, binDir, prefix, cc }
    }
    seen.push(binDir)
  }

  throw new UserError(
    `No C compiler for ${arch.triple} in ${root}: expected an executable bin/${prefixes[0]}gcc or bin/${prefixes[1]}gcc. ${await describeBinFolders(seen)} Use a toolchain built for ${arch.triple}, or set arch to the target this toolchain is for.`
  )
}

async function describeBinFolders(binDirs: readonly string[]): Promise<string> {
  if (binDirs.length === 0) {
    return `There is no bin/ folder within ${SEARCH_DEPTH} levels.`
  }
  const lines: string[] = []
  for (const binDir of binDirs.slice(0, 5)) {
    const names = (await fs.readdir(binDir).catch(() => [] as string[])).sort()
    const compilers = compilerNames(names)
    const listing =
      names.slice(0, 30).join(', ') + (names.length > 30 ? ', ...' : '')
    lines.push(
      `${binDir} contains ${names.length} entries` +
        (compilers.length
          ? ` (compilers: ${compilers.join(', ')})`
          : ' (no *-gcc)') +
        (names.length ? `: ${listing}.` : '.')
    )
  }
  return lines.join(' ')
}

/** Returns the version, such as `11.2.1`, from the first line of `gcc --version`. */
export function parseGccVersion(versionOutput: string): string | undefined {
  const first = versionOutput.split('\n')[0] ?? ''
  const afterParen = /\)\s+(\d+\.\d+(?:\.\d+)?)/.exec(first)
  if (afterParen) return afterParen[1]
  return /\b(\d+\.\d+(?:\.\d+)?)\b/.exec(first)?.[1]
}

/**
 * Runs `cc --version` and `cc -dumpmachine`. Throws UserError when the
 * compiler does not run, does not look like gcc or clang (buildrump.sh
 * requires one of them), or targets another CPU than `arch`.
 */
export async function probeCompiler(
  cc: string,
  arch: Arch
): Promise<CompilerFacts> {
  let versionOutput: string
  let dumpMachine: string
  try {
    versionOutput = (await run(cc, ['--version'], { timeout: 60_000 })).stdout
    dumpMachine = (
      await run(cc, ['-dumpmachine'], { timeout: 60_000 })
    ).stdout.trim()
  } catch (error) {
    throw new UserError(
      `The compiler ${cc} could not be run: ${errorMessage(error)}. The toolchain may be built for another host, or be incomplete.`
    )
  }

  const firstLine = versionOutput.split('\n')[0]?.trim() ?? ''
  const gccVersion = parseGccVersion(versionOutput)
  if (
    !/gcc|clang|Free Software Foundation/i.test(versionOutput) ||
    !gccVersion
  ) {
    throw new UserError(
      `${cc} --version printed "${firstLine}", which does not look like gcc or clang. buildrump.sh needs one of them; use a gcc-based musl toolchain.`
    )
  }

  const expectedCpu = arch.triple.split('-')[0]
  const actualCpu = dumpMachine.split('-')[0]
  if (actualCpu !== expectedCpu) {
    throw new UserError(
      `${cc} -dumpmachine printed "${dumpMachine}", but ${arch.name} needs a compiler for ${expectedCpu} (${arch.triple}). Use a toolchain for ${arch.triple}, or set arch to the target this compiler is for.`
    )
  }
  return { gccVersion, dumpMachine }
}

/**
 * Finds and runs the compiler for `arch` below `root`, and logs what it is.
 * Throws UserError as findCompiler and probeCompiler do.
 */
export async function inspectToolchain(
  root: string,
  arch: Arch,
  ui: Ui
): Promise<FoundCompiler & CompilerFacts> {
  const found = await findCompiler(root, arch)
  const facts = await probeCompiler(found.cc, arch)
  ui.info(
    `Compiler ${found.cc}: gcc ${facts.gccVersion}, -dumpmachine ${facts.dumpMachine}`
  )
  if (`${facts.dumpMachine}-` !== found.prefix) {
    ui.debug(
      `The tool prefix ${found.prefix} differs from -dumpmachine ${facts.dumpMachine}, so CC, AR, NM and the other tools are passed to buildrump.sh by path.`
    )
  }
  return { ...found, ...facts }
}
