// Step 2 of a run: provide the musl cross toolchain. The places tried, in
// order, are the installed toolchain-path, the runner tool cache, the GitHub
// cache, and a download from each source in turn. When every download
// fails, an older cached toolchain for the same triple is used with a
// warning.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Arch } from '../arches.js'
import { formatDuration } from '../duration.js'
import { UserError, errorMessage } from '../errors.js'
import type { Ui } from '../ui.js'
import {
  ActionsCacheService,
  type CacheService,
  cacheKey,
  cacheKeyPrefix,
  restoreFromCache
} from './cache.js'
import {
  type FoundCompiler,
  type CompilerFacts,
  inspectToolchain
} from './discover.js'
import { type Attempt, DEFAULT_FETCH_TIMEOUTS } from './download.js'
import {
  type SourceFailure,
  allSourcesFailedError,
  allowsOlderToolchain
} from './failures.js'
import { installFromSource } from './install.js'
import { rememberToolchainForPost } from './post.js'
import { resolveSources } from './sources.js'
import {
  type CacheEntry,
  findAllEntries,
  findEntry,
  sourceVersion,
  toolFolder,
  useToolCacheRoot
} from './tool-cache.js'
import type {
  StepContext,
  Toolchain,
  ToolchainRequest,
  ToolchainServices
} from './types.js'
import { maskUrl } from './url.js'

export {
  ActionsCacheService,
  type CacheService,
  saveToolchainCache
} from './cache.js'
export { DEFAULT_FETCH_TIMEOUTS, type FetchTimeouts } from './download.js'
export { binutilsEnv } from './env.js'
export {
  CROSS_TOOLS_TAG,
  type ToolchainSource,
  defaultSources,
  resolveSources
} from './sources.js'
export type { Toolchain, ToolchainRequest, ToolchainServices } from './types.js'

function toToolchain(
  found: FoundCompiler & CompilerFacts,
  origin: Pick<
    Toolchain,
    'source' | 'cacheHit' | 'sha256' | 'cacheKey' | 'cachePath'
  >
): Toolchain {
  return {
    dir: found.dir,
    binDir: found.binDir,
    prefix: found.prefix,
    cc: found.cc,
    gccVersion: found.gccVersion,
    dumpMachine: found.dumpMachine,
    ...origin
  }
}

async function fromToolchainPath(
  toolchainPath: string,
  arch: Arch,
  ui: Ui
): Promise<Toolchain> {
  const dir = path.resolve(toolchainPath)
  ui.info(`Using the installed toolchain in ${dir} (toolchain-path)`)
  const isFolder = await fs.stat(dir).then(
    stat => stat.isDirectory(),
    () => false
  )
  if (!isFolder) {
    throw new UserError(
      `toolchain-path "${toolchainPath}" is not a folder. Set it to the toolchain folder that contains bin/${arch.triple}-gcc, or leave it empty to download a toolchain.`
    )
  }
  // The same check as for a download: a compiler for the target must run.
  const found = await inspectToolchain(dir, arch, ui)
  return toToolchain(found, { source: 'toolchain-path', cacheHit: false })
}

/** Uses a cache entry if its compiler works; logs and returns undefined if not. */
async function useEntry(
  entry: CacheEntry,
  context: StepContext,
  origin: Pick<Toolchain, 'source' | 'cacheKey' | 'cachePath'>
): Promise<Toolchain | undefined> {
  try {
    const found = await inspectToolchain(entry.dir, context.arch, context.ui)
    return toToolchain(found, {
      ...origin,
      cacheHit: true,
      sha256: entry.origin?.sha256
    })
  } catch (error) {
    context.ui.warning(
      `The cached toolchain ${entry.dir} cannot be used: ${errorMessage(error)}`,
      { title: 'Toolchain cache' }
    )
    return undefined
  }
}

function cacheOrigin(
  context: StepContext,
  version: string
): Pick<Toolchain, 'cacheKey' | 'cachePath'> {
  if (!context.cache) return {}
  return {
    cacheKey: cacheKey(context.arch, version),
    cachePath: toolFolder(context.toolCacheRoot, context.arch)
  }
}

async function fromToolCache(
  context: StepContext
): Promise<Toolchain | undefined> {
  for (const source of context.sources) {
    const version = sourceVersion(source)
    const entry = findEntry(context.arch, version)
    if (!entry) continue
    context.ui.info(
      `Found ${entry.origin?.url ?? maskUrl(source.url)} in the runner tool cache: ${entry.dir}`
    )
    const toolchain = await useEntry(entry, context, {
      source: 'tool-cache',
      ...cacheOrigin(context, version)
    })
    if (toolchain) return toolchain
  }
  context.ui.debug(
    `No toolchain for ${context.arch.triple} from these sources in the runner tool cache ${context.toolCacheRoot}`
  )
  return undefined
}

async function fromGitHubCache(
  context: StepContext
): Promise<Toolchain | undefined> {
  if (!context.cache) return undefined
  const versions = [...new Set(context.sources.map(sourceVersion))]
  const keys = versions.map(version => cacheKey(context.arch, version))
  const folder = toolFolder(context.toolCacheRoot, context.arch)
  const hit = await restoreFromCache(
    context.cache,
    [folder],
    keys[0],
    keys.slice(1),
    context.ui
  )
  if (!hit) return undefined

  const version = versions[keys.indexOf(hit)]
  const entry =
    version === undefined ? undefined : findEntry(context.arch, version)
  if (!entry) {
    context.ui.warning(
      `The GitHub cache entry ${hit} did not contain a complete toolchain for ${context.arch.triple}; downloading instead.`,
      { title: 'Toolchain cache' }
    )
    return undefined
  }
  return useEntry(entry, context, {
    source: 'github-cache',
    cacheKey: hit,
    cachePath: folder
  })
}

/**
 * Uses any older toolchain for the triple, from the tool cache or through
 * the GitHub cache's key prefix, after every download failed. Only failures
 * to download qualify (see allowsOlderToolchain): a wrong checksum, an
 * unsafe archive or a wrong toolchain-url must be fixed instead.
 */
async function fromOlderEntry(
  context: StepContext,
  failures: readonly SourceFailure[]
): Promise<Toolchain | undefined> {
  if (!failures.every(allowsOlderToolchain)) return undefined
  let where = 'the runner tool cache'
  let source = 'tool-cache'
  let entries = findAllEntries(context.arch)
  if (entries.length === 0 && context.cache) {
    const folder = toolFolder(context.toolCacheRoot, context.arch)
    const newest = cacheKey(context.arch, sourceVersion(context.sources[0]))
    const hit = await restoreFromCache(
      context.cache,
      [folder],
      newest,
      [cacheKeyPrefix(context.arch)],
      context.ui
    )
    if (!hit) return undefined
    where = `the GitHub cache entry ${hit}`
    source = 'github-cache'
    entries = findAllEntries(context.arch)
  }

  // A download without an expected checksum stays usable for the sources
  // that produced it, but never stands in for the verified built-in sources.
  const trusted = context.sources.every(s => s.builtIn)
    ? entries.filter(entry => entry.origin?.verified === true)
    : entries
  for (const entry of trusted) {
    const toolchain = await useEntry(entry, context, { source })
    if (!toolchain) continue
    context.ui.warning(
      `Every toolchain source failed, so the older toolchain ${entry.origin?.url ?? entry.version} for ${context.arch.triple} from ${where} is used. The failures: ${failures.map(f => `${f.source.label}: ${errorMessage(f.error)}`).join('; ')}`,
      { title: 'Older toolchain used' }
    )
    return toolchain
  }
  return undefined
}

async function fromDownloads(context: StepContext): Promise<Toolchain> {
  const attempts: Attempt[] = []
  const failures: SourceFailure[] = []
  for (const source of context.sources) {
    context.ui.info(
      `Downloading the toolchain from ${source.label}: ${maskUrl(source.url)}`
    )
    try {
      return await installFromSource(source, context, attempts)
    } catch (error) {
      failures.push({ source, error })
      context.ui.info(`${source.label} failed: ${errorMessage(error)}`)
    }
  }
  const older = await fromOlderEntry(context, failures)
  if (older) return older
  throw allSourcesFailedError(context.arch, failures, attempts)
}

function stepContext(
  request: ToolchainRequest,
  ui: Ui,
  services: ToolchainServices
): StepContext {
  const cache: CacheService | undefined = request.cache
    ? (services.cache ?? new ActionsCacheService())
    : undefined
  return {
    arch: request.arch,
    ui,
    sources: resolveSources(
      request.arch,
      request.urls,
      request.sha256,
      services.builtInSources
    ),
    toolCacheRoot: useToolCacheRoot(services.toolCacheDir),
    tempDir: services.tempDir ?? process.env.RUNNER_TEMP ?? os.tmpdir(),
    timeouts: { ...DEFAULT_FETCH_TIMEOUTS, ...services.fetchTimeouts },
    cache
  }
}

/**
 * Provides a musl cross toolchain for `request.arch`, adds its `bin/` to
 * PATH through `ui.addPath`, and returns what was found. Inside a runner, a
 * downloaded toolchain is also recorded for the post step, which saves it
 * to the GitHub cache. Throws UserError when the toolchain-path is unusable,
 * a URL template is invalid, or no source, cache or older entry gives a
 * working compiler for the target.
 */
export async function provideToolchain(
  request: ToolchainRequest,
  ui: Ui,
  services: ToolchainServices = {}
): Promise<Toolchain> {
  const started = Date.now()
  let toolchain: Toolchain
  if (request.toolchainPath) {
    toolchain = await fromToolchainPath(request.toolchainPath, request.arch, ui)
  } else {
    const context = stepContext(request, ui, services)
    toolchain =
      (await fromToolCache(context)) ??
      (await fromGitHubCache(context)) ??
      (await fromDownloads(context))
  }

  ui.addPath(toolchain.binDir)
  rememberToolchainForPost(toolchain)
  ui.info(
    `Toolchain ready in ${formatDuration(Date.now() - started)}: ${toolchain.cc} from ${toolchain.source}${toolchain.cacheHit ? ' (cache hit)' : ''}`
  )
  return toolchain
}
