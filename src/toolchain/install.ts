// Downloading one source into the runner tool cache: checksum, download,
// verification, extraction, a compiler check, then the copy into the cache.
import fs from 'node:fs/promises'
import path from 'node:path'
import { formatDuration } from '../duration.js'
import { cacheKey } from './cache.js'
import { inspectToolchain } from './discover.js'
import { downloadFile, downloadText, type Attempt } from './download.js'
import { extractArchive } from './extract.js'
import type { ToolchainSource } from './sources.js'
import {
  ENTRY_FOLDER,
  addEntry,
  sourceVersion,
  toolFolder
} from './tool-cache.js'
import type { StepContext, Toolchain } from './types.js'
import { maskUrl } from './url.js'
import { expectedDigest, verifyArchive, warnUnverified } from './verify.js'

/**
 * Downloads, verifies and extracts the archive of `source` in a fresh
 * folder under the temp folder, checks that it has a compiler for the
 * target, and only then copies it into the tool cache. The temp folder is
 * removed when the function returns or throws. Throws on the first failed
 * step.
 */
export async function installFromSource(
  source: ToolchainSource,
  context: StepContext,
  attempts: Attempt[]
): Promise<Toolchain> {
  const { arch, ui } = context
  const masked = maskUrl(source.url)
  const downloadOptions = { ui, timeouts: context.timeouts, attempts }
  await fs.mkdir(context.tempDir, { recursive: true })
  const stage = await fs.mkdtemp(
    path.join(context.tempDir, 'rump-cross-toolchain-')
  )

  try {
    const expected = await expectedDigest(source, url =>
      downloadText(url, downloadOptions)
    )
    const archive = path.join(stage, `archive.${source.format}`)
    const digests = await downloadFile(source.url, archive, downloadOptions)
    await verifyArchive(archive, source.url, digests, expected, ui)

    const started = Date.now()
    const install = path.join(stage, 'install')
    const tree = path.join(install, ENTRY_FOLDER)
    const entries = await extractArchive(archive, tree, masked)
    await fs.rm(archive)
    ui.info(
      `Extracted ${entries} entries in ${formatDuration(Date.now() - started)}`
    )

    // A tree without a working compiler for the target is never cached.
    const extracted = await inspectToolchain(tree, arch, ui)
    if (!expected) warnUnverified(source.url, digests.sha256, ui)
    const version = sourceVersion(source)
    const entry = await addEntry(install, arch, version, {
      url: masked,
      sha256: digests.sha256,
      verified: expected !== undefined
    })
    ui.info(`Added ${masked} to the tool cache as version ${version}`)

    // Same layout as in the temp folder, now below the cache entry.
    const relative = path.relative(tree, extracted.dir)
    const dir = path.join(entry.dir, relative)
    const binDir = path.join(dir, 'bin')
    return {
      dir,
      binDir,
      prefix: extracted.prefix,
      cc: path.join(binDir, path.basename(extracted.cc)),
      gccVersion: extracted.gccVersion,
      dumpMachine: extracted.dumpMachine,
      source: masked,
      cacheHit: false,
      sha256: digests.sha256,
      cacheKey: context.cache ? cacheKey(arch, version) : undefined,
      cachePath: context.cache
        ? toolFolder(context.toolCacheRoot, arch)
        : undefined
    }
  } finally {
    await fs.rm(stage, { recursive: true, force: true })
  }
}
