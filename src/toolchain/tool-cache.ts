// The runner tool cache (@actions/tool-cache), which keeps extracted
// toolchains for the rest of the job, or across jobs on self-hosted runners.
import * as tc from '@actions/tool-cache'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Arch } from '../arches.js'
import type { ToolchainSource } from './sources.js'

/**
 * Folder inside each tool cache entry that contains the extracted archive.
 * tool-cache copies the children of the folder it is given and follows a
 * symbolic link among them (only deeper links are copied as links), so the
 * archive's own top level must never be those children.
 */
export const ENTRY_FOLDER = 'toolchain'

/** File beside ENTRY_FOLDER that records where the archive came from. */
const ORIGIN_FILE = 'rump-cross-origin.json'

/** Origin of a tool cache entry's archive. */
export interface EntryOrigin {
  /** URL with credentials masked. */
  readonly url: string
  readonly sha256: string
  /** Whether the archive matched an expected checksum before it was cached. */
  readonly verified?: boolean
}

export interface CacheEntry {
  readonly version: string
  /** The extracted archive. */
  readonly dir: string
  /** Absent for entries without a readable origin file. */
  readonly origin?: EntryOrigin
}

export function toolName(arch: Arch): string {
  return `musl-cross-${arch.triple}`
}

/**
 * Returns the tool cache version for a source: `0.0.0-s<16 hex digits>`,
 * hashed from the URL and any pinned digest, so that different archives for
 * one triple get different entries. tool-cache needs a semver version; the
 * leading letter keeps the pre-release part from being a number.
 */
export function sourceVersion(source: ToolchainSource): string {
  const pinned = source.checksum.kind === 'pinned' ? source.checksum.digest : ''
  const hash = createHash('sha256')
    .update(`${source.url}\n${pinned}`)
    .digest('hex')
  return `0.0.0-s${hash.slice(0, 16)}`
}

/**
 * Returns the tool cache root and makes @actions/tool-cache use it.
 * tool-cache reads only RUNNER_TOOL_CACHE, so an explicit folder (tests, or
 * the command line outside a runner) is written into that variable.
 * Outside a runner the default is `$XDG_CACHE_HOME/rump-cross/tool-cache`.
 */
export function useToolCacheRoot(explicit?: string): string {
  const root =
    explicit ??
    process.env.RUNNER_TOOL_CACHE ??
    path.join(
      process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
      'rump-cross',
      'tool-cache'
    )
  process.env.RUNNER_TOOL_CACHE = root
  return root
}

/** Returns the folder the GitHub cache saves and restores for `arch`: every version of its tool. */
export function toolFolder(root: string, arch: Arch): string {
  return path.join(root, toolName(arch))
}

function readOrigin(entryRoot: string): EntryOrigin | undefined {
  try {
    const data: unknown = JSON.parse(
      readFileSync(path.join(entryRoot, ORIGIN_FILE), 'utf8')
    )
    const { url, sha256 } = data as Partial<EntryOrigin>
    return typeof url === 'string' && typeof sha256 === 'string'
      ? { url, sha256 }
      : undefined
  } catch {
    return undefined
  }
}

/** Returns the entry for `version`, or undefined when it is missing or incomplete. */
export function findEntry(arch: Arch, version: string): CacheEntry | undefined {
  const found = tc.find(toolName(arch), version)
  if (!found) return undefined
  return {
    version,
    dir: path.join(found, ENTRY_FOLDER),
    origin: readOrigin(found)
  }
}

/** Returns every complete entry of the tool for `arch`. */
export function findAllEntries(arch: Arch): CacheEntry[] {
  return tc
    .findAllVersions(toolName(arch))
    .flatMap(version => findEntry(arch, version) ?? [])
}

/**
 * Writes the origin file into `stagingDir`, then copies the folder (which
 * contains ENTRY_FOLDER) into the tool cache. tool-cache writes its
 * `.complete` marker last, so an interrupted copy is never found.
 */
export async function addEntry(
  stagingDir: string,
  arch: Arch,
  version: string,
  origin: EntryOrigin
): Promise<CacheEntry> {
  await fs.writeFile(
    path.join(stagingDir, ORIGIN_FILE),
    `${JSON.stringify(origin, null, 2)}\n`
  )
  const cached = await tc.cacheDir(stagingDir, toolName(arch), version)
  return { version, dir: path.join(cached, ENTRY_FOLDER), origin }
}
