// Checksums of toolchain archives: where the expected digest comes from, and
// the comparison that runs before anything is extracted.
import fs from 'node:fs/promises'
import { UserError, errorMessage } from '../errors.js'
import type { Ui } from '../ui.js'
import { type Digests, DownloadError } from './download.js'
import type { DigestAlgorithm, ToolchainSource } from './sources.js'
import { maskUrl, urlFileName } from './url.js'

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 }

export interface ExpectedDigest {
  readonly algorithm: DigestAlgorithm
  readonly digest: string
  /** Origin of the digest for messages: an input name or a URL. */
  readonly origin: string
}

/** A checksum that could not be had or did not match; the archive is unused. */
export class ChecksumError extends UserError {
  constructor(
    message: string,
    /** True when no checksum file could be downloaded at all. */
    readonly unavailable = false
  ) {
    super(message)
    this.name = 'ChecksumError'
  }
}

function isDigest(text: string, algorithm: DigestAlgorithm): boolean {
  return new RegExp(`^[0-9a-f]{${HEX_LENGTH[algorithm]}}$`, 'i').test(text)
}

/**
 * Reads a sidecar checksum file: either the bare digest, or one line in
 * `sha256sum` format whose file name must be `fileName`.
 * Returns undefined when the text contains neither.
 */
export function parseSidecar(
  text: string,
  fileName: string,
  algorithm: DigestAlgorithm
): string | undefined {
  const line = text.split(/\r?\n/).find(l => l.trim() !== '')
  if (line === undefined) return undefined
  const [digest, name] = line.trim().split(/\s+/, 2)
  if (!isDigest(digest, algorithm)) return undefined
  if (name !== undefined && stripNamePrefix(name) !== fileName) return undefined
  return digest.toLowerCase()
}

// sha512sum marks binary mode with `*`, and lists made with `find` start
// names with `./`.
function stripNamePrefix(name: string): string {
  return name.replace(/^\*/, '').replace(/^\.\//, '')
}

/**
 * Finds the digest of `fileName` in a list in `sha512sum` format
 * (`<hex>  <name>` per line). Returns undefined when it has no such entry.
 */
export function parseChecksumList(
  text: string,
  fileName: string,
  algorithm: DigestAlgorithm
): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]+)\s+(.+)$/.exec(line.trim())
    if (!match || !isDigest(match[1], algorithm)) continue
    if (stripNamePrefix(match[2].trim()) === fileName) {
      return match[1].toLowerCase()
    }
  }
  return undefined
}

/**
 * Returns the digest that the archive of `source` must have, fetching the
 * checksum file when the source publishes one. Returns undefined only for a
 * user template without toolchain-sha256. Throws ChecksumError when no
 * usable checksum can be had, and DownloadError from `fetchText` when the
 * only checksum file cannot be downloaded.
 */
export async function expectedDigest(
  source: ToolchainSource,
  fetchText: (url: string) => Promise<string>
): Promise<ExpectedDigest | undefined> {
  const checksum = source.checksum
  const fileName = urlFileName(source.url)

  switch (checksum.kind) {
    case 'none':
      return undefined
    case 'pinned':
      return {
        algorithm: checksum.algorithm,
        digest: checksum.digest,
        origin: 'toolchain-sha256'
      }
    case 'sidecar': {
      const text = await fetchText(checksum.url).catch((error: unknown) => {
        if (!(error instanceof DownloadError)) throw error
        // Name the checksum file, because the caller reports the archive URL.
        throw new DownloadError(
          `checksum file ${maskUrl(checksum.url)}: ${error.message}`,
          error.kind,
          error.retryable,
          error.status,
          error.bytes
        )
      })
      const digest = parseSidecar(text, fileName, checksum.algorithm)
      if (!digest) {
        throw new ChecksumError(
          `The checksum file ${maskUrl(checksum.url)} does not contain a ${checksum.algorithm} digest for ${fileName}. Set toolchain-sha256 to the digest you expect, or use another source.`
        )
      }
      return {
        algorithm: checksum.algorithm,
        digest,
        origin: maskUrl(checksum.url)
      }
    }
    case 'list': {
      const problems: string[] = []
      let downloaded = false
      for (const url of checksum.urls) {
        let text: string
        try {
          text = await fetchText(url)
        } catch (error) {
          problems.push(`${maskUrl(url)}: ${errorMessage(error)}`)
          continue
        }
        downloaded = true
        const digest = parseChecksumList(text, fileName, checksum.algorithm)
        if (digest) {
          return { algorithm: checksum.algorithm, digest, origin: maskUrl(url) }
        }
        problems.push(
          `${maskUrl(url)}: no ${checksum.algorithm} entry for ${fileName}`
        )
      }
      throw new ChecksumError(
        `No ${checksum.algorithm} checksum for ${fileName} could be had (${problems.join('; ')}). A built-in source is never used unverified; set toolchain-sha256, or pass a toolchain-url with a checksum you trust.`,
        !downloaded
      )
    }
  }
}

/**
 * Compares the digest of the downloaded archive with the expected one.
 * On a mismatch it deletes the archive and throws ChecksumError naming both
 * digests. Without an expected digest it returns at once; the caller warns
 * with warnUnverified once the archive proved usable.
 */
export async function verifyArchive(
  file: string,
  url: string,
  actual: Digests,
  expected: ExpectedDigest | undefined,
  ui: Ui
): Promise<void> {
  const masked = maskUrl(url)
  if (!expected) return
  const digest = actual[expected.algorithm]
  if (digest === expected.digest.toLowerCase()) {
    ui.info(
      `Verified ${expected.algorithm} ${digest} (from ${expected.origin})`
    )
    return
  }
  await fs.rm(file, { force: true })
  throw new ChecksumError(
    `Checksum mismatch for ${masked}: expected ${expected.algorithm} ${expected.digest} (from ${expected.origin}), got ${digest}. The archive was deleted and nothing was cached. Check toolchain-sha256, or the source if the archive changed on purpose.`
  )
}

/**
 * Warns that an archive without a checksum is in use, and names its sha256
 * so that the user can pin it.
 */
export function warnUnverified(url: string, sha256: string, ui: Ui): void {
  ui.warning(
    `The toolchain archive ${maskUrl(url)} is used without a checksum. Set toolchain-sha256 to ${sha256} to pin it.`,
    { title: 'Toolchain not verified' }
  )
}
