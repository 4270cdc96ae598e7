// Download sources of musl cross toolchains and the checksum of each: the
// built-in ordered list, or the user's URL templates.
import type { Arch } from '../arches.js'
import { UserError } from '../errors.js'
import { urlFileName } from './url.js'

export type ArchiveFormat = 'tar.gz' | 'tar.xz'

export type DigestAlgorithm = 'sha256' | 'sha512'

/** Origin of the expected digest of an archive. */
export type ChecksumOrigin =
  /** A digest given by the user (input toolchain-sha256). */
  | {
      readonly kind: 'pinned'
      readonly algorithm: 'sha256'
      readonly digest: string
    }
  /** A file next to the archive that contains only its digest. */
  | {
      readonly kind: 'sidecar'
      readonly algorithm: DigestAlgorithm
      readonly url: string
    }
  /**
   * Files in `sha512sum` format that list many archives. The first one that
   * can be fetched and has an entry for the archive's file name is used.
   */
  | {
      readonly kind: 'list'
      readonly algorithm: DigestAlgorithm
      readonly urls: readonly string[]
    }
  /** No checksum: allowed only for user templates, with a warning. */
  | { readonly kind: 'none' }

export interface ToolchainSource {
  /** Short name for logs, such as `cross-tools/musl-cross 20250929`. */
  readonly label: string
  readonly url: string
  /** Compression the source publishes; extraction still checks the magic bytes. */
  readonly format: ArchiveFormat
  readonly checksum: ChecksumOrigin
  /** True for the built-in list, which must never be used unverified. */
  readonly builtIn: boolean
}

/**
 * Release tag of cross-tools/musl-cross (gcc 15.2.0 and musl 1.2.5 by the
 * project's README at commit 3a5840d). The release workflow
 * (.github/workflows/release.yaml) uploads each `<vendor-triple>.tar.xz`
 * with a sidecar `<asset>.sha256`.
 * NOTE: the tag's assets and digests could not be fetched while this was
 * written (no internet), so no digest is pinned here. Each download is
 * verified against its sidecar at run time instead.
 */
export const CROSS_TOOLS_TAG = '20250929'

const CROSS_TOOLS_BASE = `https://github.com/cross-tools/musl-cross/releases/download/${CROSS_TOOLS_TAG}`

/**
 * go-cross/musl-toolchain-archive republishes the files listed on musl.cc's
 * index page as GitHub release assets (main.ts downloads them, and the
 * release workflow at commit 605797b uploads them under a tag named after
 * the date, such as 2025.06.05).
 * NOTE: no tag of that repository could be confirmed from here, so the
 * `latest` release is used, and it could not be checked that the release
 * contains SHA512SUMS. When it does not, musl.cc's own SHA512SUMS is the
 * second checksum origin, because the mirror copies musl.cc's files as they
 * are.
 */
const MUSL_CC_MIRROR_BASE =
  'https://github.com/go-cross/musl-toolchain-archive/releases/latest/download'

/** musl.cc has blocked GitHub Actions runners since 2025-05-27, so it comes last. */
const MUSL_CC_BASE = 'https://musl.cc'

/** Returns the built-in sources for `arch`, in the order they are tried. */
export function defaultSources(arch: Arch): ToolchainSource[] {
  const crossTools = `${CROSS_TOOLS_BASE}/${arch.vendorTriple}.tar.xz`
  const muslCcName = `${arch.triple}-cross.tgz`
  return [
    {
      label: `cross-tools/musl-cross ${CROSS_TOOLS_TAG}`,
      url: crossTools,
      format: 'tar.xz',
      checksum: {
        kind: 'sidecar',
        algorithm: 'sha256',
        url: `${crossTools}.sha256`
      },
      builtIn: true
    },
    {
      label: 'musl.cc mirror go-cross/musl-toolchain-archive',
      url: `${MUSL_CC_MIRROR_BASE}/${muslCcName}`,
      format: 'tar.gz',
      checksum: {
        kind: 'list',
        algorithm: 'sha512',
        urls: [
          `${MUSL_CC_MIRROR_BASE}/SHA512SUMS`,
          `${MUSL_CC_BASE}/SHA512SUMS`
        ]
      },
      builtIn: true
    },
    {
      label: 'musl.cc',
      url: `${MUSL_CC_BASE}/${muslCcName}`,
      format: 'tar.gz',
      checksum: {
        kind: 'list',
        algorithm: 'sha512',
        urls: [`${MUSL_CC_BASE}/SHA512SUMS`]
      },
      builtIn: true
    }
  ]
}

const PLACEHOLDER = /\{([^{}]*)\}/g

const SCHEMES = ['http:', 'https:', 'file:']

function rejectTemplate(template: string, problem: string): never {
  throw new UserError(
    `toolchain-url "${template}" ${problem}. Give one absolute http://, https:// or file:// URL template per line, such as https://example.org/{triple}-cross.tgz; {triple} becomes the musl triple (powerpc-linux-musl) and {vendor-triple} the one with a vendor field (powerpc-unknown-linux-musl).`
  )
}

/**
 * Replaces `{triple}` and `{vendor-triple}` in a URL template and checks the
 * scheme. Throws UserError naming the template for an unknown placeholder, a
 * relative URL or a scheme other than http, https and file.
 */
export function expandTemplate(template: string, arch: Arch): string {
  const expanded = template.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'triple') return arch.triple
    if (name === 'vendor-triple') return arch.vendorTriple
    return rejectTemplate(template, `contains the unknown placeholder ${whole}`)
  })
  let url: URL
  try {
    url = new URL(expanded)
  } catch {
    return rejectTemplate(template, 'is not an absolute URL')
  }
  if (!SCHEMES.includes(url.protocol)) {
    rejectTemplate(template, `uses the unsupported scheme ${url.protocol}`)
  }
  return expanded
}

function formatFromName(url: string): ArchiveFormat {
  const name = urlFileName(url).toLowerCase()
  return name.endsWith('.tar.xz') || name.endsWith('.txz') ? 'tar.xz' : 'tar.gz'
}

/**
 * Returns the sources to try for a request: the user's templates when there
 * are any, otherwise the built-in list (`builtIn`, which tests replace). A
 * user sha256 replaces every other checksum origin, so it also pins the
 * built-in sources.
 */
export function resolveSources(
  arch: Arch,
  templates: readonly string[],
  sha256?: string,
  builtIn: (arch: Arch) => readonly ToolchainSource[] = defaultSources
): ToolchainSource[] {
  if (sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(sha256)) {
    throw new UserError(
      `toolchain-sha256 "${sha256}" is not a sha256 digest. Give the 64 hexadecimal digits printed by sha256sum.`
    )
  }
  const pinned: ChecksumOrigin | undefined = sha256
    ? { kind: 'pinned', algorithm: 'sha256', digest: sha256.toLowerCase() }
    : undefined

  if (templates.length === 0) {
    const sources = builtIn(arch)
    return sources.map(s => (pinned ? { ...s, checksum: pinned } : s))
  }

  return templates.map((template, index) => {
    const url = expandTemplate(template.trim(), arch)
    return {
      label: `toolchain-url ${index + 1}`,
      url,
      format: formatFromName(url),
      checksum: pinned ?? { kind: 'none' },
      builtIn: false
    }
  })
}
