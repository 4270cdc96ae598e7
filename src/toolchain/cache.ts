// The GitHub cache behind a small seam, so that tests can replace the
// service, which exists only on GitHub's runners.
import * as cache from '@actions/cache'
import os from 'node:os'
import type { Arch } from '../arches.js'
import { errorMessage } from '../errors.js'
import type { Ui } from '../ui.js'
import { toolName } from './tool-cache.js'
import type { Toolchain } from './types.js'

export interface CacheService {
  /** False outside GitHub Actions, where the cache service does not exist. */
  isAvailable(): boolean
  /** Restores `paths`; returns the key that matched, or undefined on a miss. */
  restore(
    paths: readonly string[],
    primaryKey: string,
    restoreKeys: readonly string[]
  ): Promise<string | undefined>
  save(paths: readonly string[], key: string): Promise<void>
}

/** CacheService over @actions/cache. */
export class ActionsCacheService implements CacheService {
  isAvailable(): boolean {
    return cache.isFeatureAvailable()
  }

  restore(
    paths: readonly string[],
    primaryKey: string,
    restoreKeys: readonly string[]
  ): Promise<string | undefined> {
    return cache.restoreCache([...paths], primaryKey, [...restoreKeys])
  }

  async save(paths: readonly string[], key: string): Promise<void> {
    // saveCache returns -1 after logging why when another job reserved the
    // key first or the service declined the upload.
    const id = await cache.saveCache([...paths], key)
    if (id === -1) {
      throw new Error(
        'the cache service did not store the entry (its reason is in the log above)'
      )
    }
  }
}

/**
 * Returns the key prefix shared by every cached toolchain for `arch` on this
 * host platform; an older entry is restored through it when downloads fail.
 */
export function cacheKeyPrefix(arch: Arch): string {
  return `rump-cross-${toolName(arch)}-${process.platform}-${os.arch()}-`
}

export function cacheKey(arch: Arch, version: string): string {
  return `${cacheKeyPrefix(arch)}${version}`
}

/**
 * Restores `paths` from the GitHub cache and returns the matched key.
 * Returns undefined without a word when the service is missing (debug line
 * only), and with a warning when the restore fails.
 */
export async function restoreFromCache(
  service: CacheService,
  paths: readonly string[],
  primaryKey: string,
  restoreKeys: readonly string[],
  ui: Ui
): Promise<string | undefined> {
  if (!service.isAvailable()) {
    ui.debug(
      'The GitHub cache service is not available here, so the toolchain is not restored from it.'
    )
    return undefined
  }
  ui.debug(
    `Restoring the toolchain from the GitHub cache: key ${primaryKey}, restore keys ${restoreKeys.join(', ') || 'none'}`
  )
  try {
    const key = await service.restore(paths, primaryKey, restoreKeys)
    ui.info(
      key ? `GitHub cache hit: ${key}` : `GitHub cache miss for ${primaryKey}`
    )
    return key
  } catch (error) {
    ui.warning(
      `Restoring the toolchain from the GitHub cache (key ${primaryKey}) failed: ${errorMessage(error)}. The toolchain is downloaded instead.`,
      { title: 'Toolchain cache' }
    )
    return undefined
  }
}

/**
 * Saves `paths` under `key`. A failure is a warning, because a missing
 * cache entry only makes a later run download again. Returns whether the
 * service accepted the save without throwing.
 */
export async function saveToCache(
  service: CacheService,
  paths: readonly string[],
  key: string,
  ui: Ui
): Promise<boolean> {
  if (!service.isAvailable()) {
    ui.debug(
      'The GitHub cache service is not available here, so the toolchain is not saved to it.'
    )
    return false
  }
  try {
    await service.save(paths, key)
    ui.info(`Saved the toolchain to the GitHub cache: ${key}`)
    return true
  } catch (error) {
    ui.warning(
      `Saving the toolchain to the GitHub cache (key ${key}) failed: ${errorMessage(error)}. This run is not affected; the next one downloads the toolchain again.`,
      { title: 'Toolchain cache' }
    )
    return false
  }
}

/**
 * Saves a downloaded toolchain to the GitHub cache, for the post step or
 * the end of the run. Does nothing for a cache hit, a toolchain-path, or
 * a request with the cache off. A failed save is a warning. Returns
 * whether the toolchain was saved.
 */
export async function saveToolchainCache(
  toolchain: Toolchain,
  ui: Ui,
  services: { cache?: CacheService } = {}
): Promise<boolean> {
  if (!toolchain.cacheKey || !toolchain.cachePath) {
    ui.debug('No GitHub cache key for this toolchain, so nothing is saved.')
    return false
  }
  if (toolchain.cacheHit) {
    ui.debug(
      `The toolchain came from a cache (${toolchain.cacheKey}), so it is not saved again.`
    )
    return false
  }
  const service = services.cache ?? new ActionsCacheService()
  return saveToCache(service, [toolchain.cachePath], toolchain.cacheKey, ui)
}
