// Pure parts of the toolchain step: sources and templates, checksum files,
// URL masking, compiler names, cache keys and the final error.
import { describe, expect, it } from '@jest/globals'
import os from 'node:os'
import { type Arch, findArch } from '../src/arches.js'
import { UserError } from '../src/errors.js'
import { cacheKey, cacheKeyPrefix } from '../src/toolchain/cache.js'
import { compilerNames, parseGccVersion } from '../src/toolchain/discover.js'
import { DownloadError } from '../src/toolchain/download.js'
import {
  UNREACHABLE_DEFAULTS_ADVICE,
  allSourcesFailedError,
  allowsOlderToolchain
} from '../src/toolchain/failures.js'
import {
  CROSS_TOOLS_TAG,
  type ToolchainSource,
  defaultSources,
  expandTemplate,
  resolveSources
} from '../src/toolchain/sources.js'
import { sourceVersion } from '../src/toolchain/tool-cache.js'
import { maskUrl } from '../src/toolchain/url.js'
import {
  ChecksumError,
  expectedDigest,
  parseChecksumList,
  parseSidecar
} from '../src/toolchain/verify.js'

const POWERPC = findArch('powerpc') as Arch
const ARMHF = findArch('armhf') as Arch
const DIGEST = 'ab'.repeat(32)

describe('defaultSources', () => {
  it('lists cross-tools, the mirror, then musl.cc', () => {
    const urls = defaultSources(POWERPC).map(s => s.url)

    expect(urls).toEqual([
      `https://github.com/cross-tools/musl-cross/releases/download/${CROSS_TOOLS_TAG}/powerpc-unknown-linux-musl.tar.xz`,
      'https://github.com/go-cross/musl-toolchain-archive/releases/latest/download/powerpc-linux-musl-cross.tgz',
      'https://musl.cc/powerpc-linux-musl-cross.tgz'
    ])
  })

  it('gives every source a checksum', () => {
    for (const source of defaultSources(ARMHF)) {
      expect(source.builtIn).toBe(true)
      expect(source.checksum.kind).not.toBe('none')
    }
  })

  it('reads the cross-tools sidecar', () => {
    const [crossTools] = defaultSources(ARMHF)

    expect(crossTools.checksum).toEqual({
      kind: 'sidecar',
      algorithm: 'sha256',
      url: `${crossTools.url}.sha256`
    })
  })
})

describe('resolveSources', () => {
  it('pins the built-in sources to a user sha256', () => {
    const sources = resolveSources(POWERPC, [], DIGEST.toUpperCase())

    for (const source of sources) {
      expect(source.checksum).toEqual({
        kind: 'pinned',
        algorithm: 'sha256',
        digest: DIGEST
      })
    }
  })

  it('expands user templates in order', () => {
    const sources = resolveSources(POWERPC, [
      'http://127.0.0.1:8000/{triple}-cross.tgz',
      'file:///opt/{vendor-triple}.tar.xz'
    ])

    expect(sources.map(s => s.url)).toEqual([
      'http://127.0.0.1:8000/powerpc-linux-musl-cross.tgz',
      'file:///opt/powerpc-unknown-linux-musl.tar.xz'
    ])
    expect(sources.map(s => s.format)).toEqual(['tar.gz', 'tar.xz'])
    expect(sources.map(s => s.checksum.kind)).toEqual(['none', 'none'])
    expect(sources.map(s => s.builtIn)).toEqual([false, false])
  })
})

describe('expandTemplate', () => {
  it('rejects a template without a scheme', () => {
    expect(() => expandTemplate('example.org/{triple}.tgz', POWERPC)).toThrow(
      'toolchain-url "example.org/{triple}.tgz" is not an absolute URL'
    )
  })

  it('rejects an ftp template', () => {
    expect(() =>
      expandTemplate('ftp://example.org/{triple}.tgz', POWERPC)
    ).toThrow(
      'uses the unsupported scheme ftp:. Give one absolute http://, https:// or file:// URL template per line'
    )
  })

  it('rejects an unknown placeholder', () => {
    expect(() =>
      expandTemplate('https://example.org/{arch}.tgz', POWERPC)
    ).toThrow('contains the unknown placeholder {arch}')
  })

  it('throws UserError', () => {
    expect(() => expandTemplate('nonsense', POWERPC)).toThrow(UserError)
  })
})

describe('parseSidecar', () => {
  it('reads a bare digest', () => {
    expect(
      parseSidecar(`${DIGEST.toUpperCase()}\n`, 'x.tar.xz', 'sha256')
    ).toBe(DIGEST)
  })

  it('reads a sha256sum line', () => {
    expect(parseSidecar(`${DIGEST}  x.tar.xz\n`, 'x.tar.xz', 'sha256')).toBe(
      DIGEST
    )
  })

  it('rejects a line for another file', () => {
    expect(
      parseSidecar(`${DIGEST}  y.tar.xz\n`, 'x.tar.xz', 'sha256')
    ).toBeUndefined()
  })

  it('rejects a digest of the wrong length', () => {
    expect(parseSidecar('abc\n', 'x.tar.xz', 'sha256')).toBeUndefined()
  })

  it('rejects an HTML page', () => {
    expect(
      parseSidecar('<html>Not Found</html>', 'x.tar.xz', 'sha256')
    ).toBeUndefined()
  })
})

describe('parseChecksumList', () => {
  const sha512 = 'cd'.repeat(64)
  const list = [
    `${'0'.repeat(128)}  aarch64-linux-musl-cross.tgz`,
    `${sha512} *./powerpc-linux-musl-cross.tgz`,
    `${'1'.repeat(128)}  powerpc-linux-musl-native.tgz`
  ].join('\n')

  it('finds the entry by file name', () => {
    expect(
      parseChecksumList(list, 'powerpc-linux-musl-cross.tgz', 'sha512')
    ).toBe(sha512)
  })

  it('returns undefined without an entry', () => {
    expect(
      parseChecksumList(list, 'mips-linux-musl-cross.tgz', 'sha512')
    ).toBeUndefined()
  })

  it('ignores digests of another algorithm', () => {
    expect(
      parseChecksumList(`${DIGEST}  a.tgz`, 'a.tgz', 'sha512')
    ).toBeUndefined()
  })
})

describe('expectedDigest', () => {
  const listSource: ToolchainSource = {
    label: 'list',
    url: 'http://127.0.0.1/a.tgz',
    format: 'tar.gz',
    checksum: {
      kind: 'list',
      algorithm: 'sha512',
      urls: [
        'http://127.0.0.1/first/SHA512SUMS',
        'http://127.0.0.1/second/SHA512SUMS'
      ]
    },
    builtIn: true
  }

  it('uses the second list when the first fails', async () => {
    const digest = 'ef'.repeat(64)
    const fetchText = async (url: string): Promise<string> => {
      if (url.includes('first'))
        throw new DownloadError('HTTP 404', 'http', false, 404)
      return `${digest}  a.tgz\n`
    }

    const expected = await expectedDigest(listSource, fetchText)

    expect(expected).toEqual({
      algorithm: 'sha512',
      digest,
      origin: 'http://127.0.0.1/second/SHA512SUMS'
    })
  })

  it('marks a list that could not be downloaded', async () => {
    const fetchText = async (): Promise<string> => {
      throw new DownloadError('could not connect', 'unreachable', false)
    }

    const error = await expectedDigest(listSource, fetchText).catch(e => e)

    expect(error).toBeInstanceOf(ChecksumError)
    expect((error as ChecksumError).unavailable).toBe(true)
    expect((error as Error).message).toContain('is never used unverified')
  })

  it('marks a list without the entry as available', async () => {
    const error = await expectedDigest(
      listSource,
      async () => 'nothing\n'
    ).catch(e => e)

    expect((error as ChecksumError).unavailable).toBe(false)
    expect((error as Error).message).toContain('no sha512 entry for a.tgz')
  })
})

describe('expectedDigest for a sidecar', () => {
  const source: ToolchainSource = {
    label: 'sidecar',
    url: 'http://127.0.0.1/a.tar.xz',
    format: 'tar.xz',
    checksum: {
      kind: 'sidecar',
      algorithm: 'sha256',
      url: 'http://127.0.0.1/a.tar.xz.sha256'
    },
    builtIn: true
  }

  it('names the checksum file that failed', async () => {
    const fetchText = async (): Promise<string> => {
      throw new DownloadError('HTTP 404 Not Found', 'http', false, 404)
    }

    const error = await expectedDigest(source, fetchText).catch(e => e)

    expect(error).toBeInstanceOf(DownloadError)
    expect((error as DownloadError).status).toBe(404)
    expect((error as Error).message).toBe(
      'checksum file http://127.0.0.1/a.tar.xz.sha256: HTTP 404 Not Found'
    )
  })

  it('rejects a sidecar without a digest', async () => {
    const error = await expectedDigest(source, async () => 'oops\n').catch(
      e => e
    )

    expect(error).toBeInstanceOf(ChecksumError)
    expect((error as Error).message).toContain(
      'does not contain a sha256 digest for a.tar.xz'
    )
  })
})

describe('maskUrl', () => {
  it('masks user and password', () => {
    expect(maskUrl('https://me:pw@example.org/a.tgz')).toBe(
      'https://***:***@example.org/a.tgz'
    )
  })

  it('masks token query values', () => {
    expect(
      maskUrl('https://example.org/a.tgz?X-Amz-Signature=s3cr3t&part=1')
    ).toBe('https://example.org/a.tgz?X-Amz-Signature=***&part=1')
  })

  it('keeps text that is not a URL', () => {
    expect(maskUrl('not a url')).toBe('not a url')
  })
})

describe('compiler names', () => {
  it('skips gcc-ar, gcc-nm, gcc-ranlib and versioned names', () => {
    const names = [
      'powerpc-linux-musl-gcc',
      'powerpc-linux-musl-gcc-ar',
      'powerpc-linux-musl-gcc-nm',
      'powerpc-linux-musl-gcc-ranlib',
      'powerpc-linux-musl-gcc-11.2.1',
      'powerpc-linux-musl-ld'
    ]

    expect(compilerNames(names)).toEqual(['powerpc-linux-musl-gcc'])
  })

  it('parses the gcc version line', () => {
    expect(
      parseGccVersion('powerpc-linux-musl-gcc (GCC) 11.2.1 20211120\nCopyright')
    ).toBe('11.2.1')
    expect(parseGccVersion('x-gcc (crosstool-NG 1.26.0) 15.2.0\n')).toBe(
      '15.2.0'
    )
    expect(parseGccVersion('clang version 17.0.6\n')).toBe('17.0.6')
    expect(parseGccVersion('no version here\n')).toBeUndefined()
  })
})

describe('cache identity', () => {
  const source: ToolchainSource = {
    label: 'a',
    url: 'http://127.0.0.1/a.tgz',
    format: 'tar.gz',
    checksum: { kind: 'none' },
    builtIn: false
  }

  it('gives other URLs and digests other versions', () => {
    const pinned: ToolchainSource = {
      ...source,
      checksum: { kind: 'pinned', algorithm: 'sha256', digest: DIGEST }
    }
    const moved: ToolchainSource = { ...source, url: 'http://127.0.0.1/b.tgz' }

    const versions = new Set([source, pinned, moved].map(sourceVersion))

    expect(versions.size).toBe(3)
    expect(sourceVersion(source)).toMatch(/^0\.0\.0-s[0-9a-f]{16}$/)
  })

  it('keys entries by triple and host', () => {
    const prefix = `rump-cross-musl-cross-powerpc-linux-musl-${process.platform}-${os.arch()}-`

    expect(cacheKeyPrefix(POWERPC)).toBe(prefix)
    expect(cacheKey(POWERPC, sourceVersion(source))).toBe(
      `${prefix}${sourceVersion(source)}`
    )
  })
})

describe('allowsOlderToolchain', () => {
  const [builtIn] = defaultSources(POWERPC)
  const [user] = resolveSources(POWERPC, ['http://127.0.0.1/{triple}.tgz'])
  const [file] = resolveSources(POWERPC, ['file:///opt/{triple}.tgz'])
  const http = (status: number): DownloadError =>
    new DownloadError(`HTTP ${status}`, 'http', status >= 500, status)
  const stalled = new DownloadError('stalled', 'stalled', true)
  const missing = new DownloadError('ENOENT', 'unreachable', false)

  it.each([
    ['built-in 404', builtIn, http(404), true],
    ['built-in stall', builtIn, stalled, true],
    ['template 503', user, http(503), true],
    ['template stall', user, stalled, true],
    ['template 404', user, http(404), false],
    ['missing file URL', file, missing, false],
    ['checksum mismatch', builtIn, new ChecksumError('mismatch'), false]
  ])('%s', (_name, source, error, expected) => {
    expect(allowsOlderToolchain({ source, error })).toBe(expected)
  })
})

describe('allSourcesFailedError', () => {
  const [first, second] = defaultSources(POWERPC)
  const unreachable = new DownloadError(
    'could not connect (ENOTFOUND)',
    'unreachable',
    false
  )

  it('gives the fixed advice for unreachable defaults', () => {
    const error = allSourcesFailedError(
      POWERPC,
      [
        { source: first, error: unreachable },
        { source: second, error: new ChecksumError('no list', true) }
      ],
      []
    )

    expect(error.message).toBe(
      `Could not provide the musl cross toolchain for powerpc-linux-musl: ${UNREACHABLE_DEFAULTS_ADVICE}\nSources:\n  ${first.label} ${first.url}: could not connect (ENOTFOUND)\n  ${second.label} ${second.url}: no list`
    )
  })

  it('names toolchain-url for user sources', () => {
    const [user] = resolveSources(POWERPC, ['http://127.0.0.1/{triple}.tgz'])

    const error = allSourcesFailedError(
      POWERPC,
      [{ source: user, error: unreachable }],
      []
    )

    expect(error.message).toContain(
      'none of the toolchain-url sources could be downloaded'
    )
  })

  it('points at the listed problem otherwise', () => {
    const error = allSourcesFailedError(
      POWERPC,
      [{ source: first, error: new ChecksumError('Checksum mismatch') }],
      [{ url: first.url, status: 200, bytes: 2048, ms: 1500 }]
    )

    expect(error.message).toContain('every source failed')
    expect(error.message).toContain(
      `Attempts:\n  ${first.url}: HTTP 200, ok; 2.0 KiB in 1.5 s`
    )
  })
})
