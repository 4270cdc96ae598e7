// The action's post step: save the toolchain that the main step downloaded
// to the GitHub cache. runPost turns every error into a warning, so the post
// step cannot fail a job.
import * as core from '@actions/core'
import { errorMessage } from '../errors.js'
import { ActionUi, type Ui } from '../ui.js'
import { type CacheService, saveToolchainCache } from './cache.js'
import type { Toolchain } from './types.js'

/** Name of the saved state that carries the toolchain from main to post. */
export const TOOLCHAIN_STATE = 'toolchain'

/**
 * Stores `toolchain` for the post step when it should be saved to the
 * GitHub cache, and only inside a runner that provides GITHUB_STATE, so the
 * command line never prints a state command.
 */
export function rememberToolchainForPost(toolchain: Toolchain): void {
  if (!process.env.GITHUB_STATE) return
  if (!toolchain.cacheKey || toolchain.cacheHit) return
  core.saveState(TOOLCHAIN_STATE, JSON.stringify(toolchain))
}

/** Saves the toolchain recorded by the main step, if any. */
export async function runPost(
  ui: Ui = new ActionUi(),
  services: { cache?: CacheService } = {}
): Promise<void> {
  try {
    const state = core.getState(TOOLCHAIN_STATE)
    if (!state) {
      ui.debug('The main step recorded no toolchain to save.')
      return
    }
    await saveToolchainCache(JSON.parse(state) as Toolchain, ui, services)
  } catch (error) {
    ui.warning(
      `Saving the toolchain to the GitHub cache failed: ${errorMessage(error)}`,
      {
        title: 'Toolchain cache'
      }
    )
  }
}
