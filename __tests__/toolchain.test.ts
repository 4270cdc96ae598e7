// provideToolchain end to end: fake toolchains packed with tar, served from
// a loopback server, with the GitHub cache replaced by a fake service.
import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { type Arch, findArch } from '../src/arches.js'
import {
  type CacheService,
  type Toolchain,
  type ToolchainSource,
  binutilsEnv,
  provideToolchain,
  saveToolchainCache
} from '../src/toolchain/index.js'
import { runPost } from '../src/toolchain/post.js'
import { TerminalUi } from '../src/ui.js'
import { type TestServer, startServer } from './support/http-server.js'

const run = promisify(execFile)

const POWERPC = findArch('powerpc') as Arch

/** Collects what the step logs, and the folders it adds to PATH. */
class RecordingUi extends TerminalUi {
  readonly lines: string[] = []
  readonly warnings: string[] = []
  readonly paths: string[] = []

  constructor() {
    super({ write: () => true } as unknown as NodeJS.WritableStream)
  }
  info(message: string): void {
    this.lines.push(message)
  }
  debug(message: string): void {
    this.lines.push(`debug: ${message}`)
  }
  warning(message: string): void {
    this.warnings.push(message)
  }
  addPath(dir: string): void {
    this.paths.push(dir)
  }
}

/** A CacheService that keeps a copy of each saved folder on disk under `store`. */
class FakeCache implements CacheService {
  readonly saved = new Map<string, string>()
  readonly restores: { primaryKey: string; restoreKeys: readonly string[] }[] =
    []
  saveError?: Error

  constructor(
    private readonly store: string,
    private readonly available = true
  ) {}

  isAvailable(): boolean {
    return this.available
  }

  async restore(
    paths: readonly string[],
    primaryKey: string,
    restoreKeys: readonly string[]
  ): Promise<string | undefined> {
    this.restores.push({ primaryKey, restoreKeys })
    const key =
      [primaryKey, ...restoreKeys].find(k => this.saved.has(k)) ??
      [...this.saved.keys()].find(k => restoreKeys.some(p => k.startsWith(p)))
    if (!key) return undefined
    const copy = this.saved.get(key) as string
    for (const target of paths) {
      await fs.rm(target, { recursive: true, force: true })
      await fs.cp(path.join(copy, path.basename(target)), target, {
        recursive: true,
        verbatimSymlinks: true
      })
    }
    return key
  }

  async save(paths: readonly string[], key: string): Promise<void> {
    if (this.saveError) throw this.saveError
    const copy = path.join(this.store, String(this.saved.size))
    for (const source of paths) {
      await fs.cp(source, path.join(copy, path.basename(source)), {
        recursive: true,
        verbatimSymlinks: true
      })
    }
    this.saved.set(key, copy)
  }
}

interface FakeToolchainOptions {
  /** Tool prefix without the trailing dash, such as powerpc-linux-musl. */
  readonly prefix: string
  /** Top folder of the archive, such as powerpc-linux-musl-cross. */
  readonly top: string
  readonly dumpMachine?: string
  readonly gccVersion?: string
}

/**
 * Writes a fake toolchain below `root`: a shell script `bin/<prefix>-gcc`
 * that prints --version and -dumpmachine output like gcc, a few binutils,
 * and the links real archives contain (relative, absolute, dangling, hard).
 */
async function writeFakeToolchain(
  root: string,
  options: FakeToolchainOptions
): Promise<void> {
  const top = path.join(root, options.top)
  const bin = path.join(top, 'bin')
  const sysroot = path.join(top, options.prefix, 'lib')
  await fs.mkdir(bin, { recursive: true })
  await fs.mkdir(sysroot, { recursive: true })

  const version = options.gccVersion ?? '11.2.1'
  const gcc = [
    '#!/bin/sh',
    'case "$1" in',
    `  --version) echo "${options.prefix}-gcc (GCC) ${version} 20211120"; echo "Copyright (C) 2021 Free Software Foundation, Inc." ;;`,
    `  -dumpmachine) echo "${options.dumpMachine ?? options.prefix}" ;;`,
    '  *) echo "fake gcc: unsupported arguments" >&2; exit 1 ;;',
    'esac',
    ''
  ].join('\n')
  const cc = path.join(bin, `${options.prefix}-gcc`)
  await fs.writeFile(cc, gcc, { mode: 0o755 })
  for (const tool of ['ar', 'nm', 'objcopy', 'strip', 'gcc-ar']) {
    const file = path.join(bin, `${options.prefix}-${tool}`)
    await fs.writeFile(file, '#!/bin/sh\nexit 0\n', { mode: 0o755 })
  }

  await fs.symlink(
    `${options.prefix}-gcc`,
    path.join(bin, `${options.prefix}-cc`)
  )
  await fs.link(cc, path.join(bin, `${options.prefix}-gcc-${version}`))
  await fs.writeFile(path.join(sysroot, 'libc.so'), 'not really a library\n')
  const loader = path.join(sysroot, 'ld-musl-powerpc.so.1')
  await fs.symlink('/lib/ld-musl-powerpc.so.1', loader)
  await fs.symlink('missing-file', path.join(top, 'dangling'))
  await fs.symlink('.', path.join(top, 'usr'))
}

async function pack(
  root: string,
  top: string,
  archive: string
): Promise<Buffer> {
  const flag = archive.endsWith('.tar.xz') ? '-cJf' : '-czf'
  await run('tar', [flag, archive, '-C', root, top])
  return fs.readFile(archive)
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Packs a musl.cc style archive (`<triple>-cross/bin/<triple>-gcc`) as .tgz. */
async function muslCcArchive(work: string): Promise<Buffer> {
  const root = path.join(work, 'musl-cc')
  await writeFakeToolchain(root, {
    prefix: POWERPC.triple,
    top: `${POWERPC.triple}-cross`
  })
  return pack(root, `${POWERPC.triple}-cross`, path.join(work, 'musl-cc.tgz'))
}

/** Packs a cross-tools style archive (`<vendor-triple>/bin/<vendor-triple>-gcc`) as .tar.xz. */
async function crossToolsArchive(work: string): Promise<Buffer> {
  const root = path.join(work, 'cross-tools')
  await writeFakeToolchain(root, {
    prefix: POWERPC.vendorTriple,
    top: POWERPC.vendorTriple,
    gccVersion: '15.2.0'
  })
  return pack(root, POWERPC.vendorTriple, path.join(work, 'cross-tools.tar.xz'))
}

const realFetch = globalThis.fetch
const realWrite = process.stdout.write.bind(process.stdout)

let work: string
let server: TestServer
let ui: RecordingUi
let cache: FakeCache

beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'toolchain-test-'))
  server = await startServer({ lifetimeMs: 30_000, maxRequests: 100 })
  ui = new RecordingUi()
  cache = new FakeCache(path.join(work, 'github-cache'))
  // @actions/tool-cache prints `::debug::` lines straight to stdout.
  jest
    .spyOn(process.stdout, 'write')
    .mockImplementation(((chunk: unknown, ...rest: never[]) =>
      String(chunk).startsWith('::debug::')
        ? true
        : realWrite(chunk as string, ...rest)) as never)
  // Anything but the loopback server is a bug in a test.
  jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (url.hostname !== '127.0.0.1') {
      throw new Error(`test tried to reach ${url.href}`)
    }
    return realFetch(input, init)
  })
})

afterEach(async () => {
  jest.restoreAllMocks()
  await server.close()
  await fs.rm(work, { recursive: true, force: true })
})

function services(extra: object = {}) {
  return {
    cache,
    toolCacheDir: path.join(work, 'tool-cache'),
    tempDir: path.join(work, 'temp'),
    fetchTimeouts: {
      stallMs: 1000,
      attemptMs: 10_000,
      attempts: 2,
      backoffMs: 10
    },
    ...extra
  }
}

async function toolCacheEntries(): Promise<string[]> {
  const folder = path.join(work, 'tool-cache', `musl-cross-${POWERPC.triple}`)
  return fs.readdir(folder).catch(() => [])
}

describe('provideToolchain downloads', () => {
  it('installs a musl.cc layout from a .tgz', async () => {
    const archive = await muslCcArchive(work)
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })

    const toolchain = await provideToolchain(
      {
        arch: POWERPC,
        urls: [server.url('/{triple}-cross.tgz')],
        sha256: sha256(archive),
        cache: false
      },
      ui,
      services()
    )

    expect(toolchain.prefix).toBe('powerpc-linux-musl-')
    expect(toolchain.gccVersion).toBe('11.2.1')
    expect(toolchain.dumpMachine).toBe('powerpc-linux-musl')
    expect(toolchain.source).toBe(server.url('/powerpc-linux-musl-cross.tgz'))
    expect(toolchain.cacheHit).toBe(false)
    expect(toolchain.sha256).toBe(sha256(archive))
    expect(toolchain.cc).toBe(
      path.join(toolchain.binDir, 'powerpc-linux-musl-gcc')
    )
    expect(path.basename(toolchain.dir)).toBe('powerpc-linux-musl-cross')
    expect(toolchain.dir.startsWith(path.join(work, 'tool-cache'))).toBe(true)
    expect(ui.paths).toEqual([toolchain.binDir])
    expect(ui.warnings).toEqual([])
    expect(await fs.readdir(path.join(work, 'temp'))).toEqual([])
  })

  it('keeps symbolic and hard links', async () => {
    const archive = await muslCcArchive(work)
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })

    const toolchain = await provideToolchain(
      {
        arch: POWERPC,
        urls: [server.url('/{triple}-cross.tgz')],
        sha256: sha256(archive),
        cache: false
      },
      ui,
      services()
    )

    const lib = path.join(toolchain.dir, 'powerpc-linux-musl', 'lib')
    expect(await fs.readlink(path.join(lib, 'ld-musl-powerpc.so.1'))).toBe(
      '/lib/ld-musl-powerpc.so.1'
    )
    expect(await fs.readlink(path.join(toolchain.dir, 'dangling'))).toBe(
      'missing-file'
    )
    expect(await fs.readlink(path.join(toolchain.dir, 'usr'))).toBe('.')
    expect(
      await fs.readlink(path.join(toolchain.binDir, 'powerpc-linux-musl-cc'))
    ).toBe('powerpc-linux-musl-gcc')
    const copy = await fs.readFile(
      path.join(toolchain.binDir, 'powerpc-linux-musl-gcc-11.2.1')
    )
    expect(copy.toString()).toContain('-dumpmachine')
  })

  it('installs a cross-tools layout with a .sha256 sidecar', async () => {
    const archive = await crossToolsArchive(work)
    const name = `${POWERPC.vendorTriple}.tar.xz`
    server.script(`/${name}`, { body: archive })
    server.script(`/${name}.sha256`, {
      body: Buffer.from(`${sha256(archive)}\n`)
    })
    const builtIn = (arch: Arch): ToolchainSource[] => [
      {
        label: 'loopback cross-tools',
        url: server.url(`/${arch.vendorTriple}.tar.xz`),
        format: 'tar.xz',
        checksum: {
          kind: 'sidecar',
          algorithm: 'sha256',
          url: server.url(`/${arch.vendorTriple}.tar.xz.sha256`)
        },
        builtIn: true
      }
    ]

    const toolchain = await provideToolchain(
      { arch: POWERPC, urls: [], cache: false },
      ui,
      services({ builtInSources: builtIn })
    )

    expect(toolchain.prefix).toBe('powerpc-unknown-linux-musl-')
    expect(toolchain.gccVersion).toBe('15.2.0')
    expect(path.basename(toolchain.dir)).toBe(POWERPC.vendorTriple)
    expect(server.count(`/${name}.sha256`)).toBe(1)
    expect(
      ui.lines.some(l => l.includes(`Verified sha256 ${sha256(archive)}`))
    ).toBe(true)
  })

  it('verifies a musl.cc layout against a SHA512SUMS list', async () => {
    const archive = await muslCcArchive(work)
    const sha512 = createHash('sha512').update(archive).digest('hex')
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })
    server.script('/SHA512SUMS', {
      body: Buffer.from(
        `${'0'.repeat(128)}  aarch64-linux-musl-cross.tgz\n${sha512}  powerpc-linux-musl-cross.tgz\n`
      )
    })
    const builtIn = (arch: Arch): ToolchainSource[] => [
      {
        label: 'loopback musl.cc',
        url: server.url(`/${arch.triple}-cross.tgz`),
        format: 'tar.gz',
        checksum: {
          kind: 'list',
          algorithm: 'sha512',
          urls: [server.url('/SHA512SUMS')]
        },
        builtIn: true
      }
    ]

    const toolchain = await provideToolchain(
      { arch: POWERPC, urls: [], cache: false },
      ui,
      services({ builtInSources: builtIn })
    )

    expect(toolchain.prefix).toBe('powerpc-linux-musl-')
    expect(ui.lines.some(l => l.includes(`Verified sha512 ${sha512}`))).toBe(
      true
    )
  })

  it('warns about a template without sha256', async () => {
    const archive = await muslCcArchive(work)
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })

    await provideToolchain(
      {
        arch: POWERPC,
        urls: [server.url('/{triple}-cross.tgz')],
        cache: false
      },
      ui,
      services()
    )

    expect(ui.warnings).toHaveLength(1)
    expect(ui.warnings[0]).toContain(
      `Set toolchain-sha256 to ${sha256(archive)}`
    )
  })

  it('does not offer to pin a rejected template archive', async () => {
    server.script('/bad/powerpc-linux-musl-cross.tgz', {
      body: Buffer.from('<html>not an archive</html>')
    })
    server.script('/powerpc-linux-musl-cross.tgz', {
      body: await muslCcArchive(work)
    })

    await provideToolchain(
      {
        arch: POWERPC,
        urls: [
          server.url('/bad/{triple}-cross.tgz'),
          server.url('/{triple}-cross.tgz')
        ],
        cache: false
      },
      ui,
      services()
    )

    expect(ui.warnings.filter(w => w.includes('/bad/'))).toEqual([])
  })

  it('rejects a wrong sha256 and caches nothing', async () => {
    const archive = await muslCcArchive(work)
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })
    const wrong = 'ab'.repeat(32)

    const result = provideToolchain(
      {
        arch: POWERPC,
        urls: [server.url('/{triple}-cross.tgz')],
        sha256: wrong,
        cache: true
      },
      ui,
      services()
    )

    await expect(result).rejects.toThrow(`expected sha256 ${wrong}`)
    await expect(result).rejects.toThrow(`got ${sha256(archive)}`)
    expect(await toolCacheEntries()).toEqual([])
    expect(await fs.readdir(path.join(work, 'temp'))).toEqual([])
    expect(cache.saved.size).toBe(0)
  })

  it('rejects a toolchain for another target', async () => {
    const root = path.join(work, 'arm')
    await writeFakeToolchain(root, {
      prefix: 'arm-linux-musleabihf',
      top: 'arm-linux-musleabihf-cross'
    })
    const archive = await pack(
      root,
      'arm-linux-musleabihf-cross',
      path.join(work, 'arm.tgz')
    )
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })

    const result = provideToolchain(
      {
        arch: POWERPC,
        urls: [server.url('/{triple}-cross.tgz')],
        sha256: sha256(archive),
        cache: false
      },
      ui,
      services()
    )

    await expect(result).rejects.toThrow('No C compiler for powerpc-linux-musl')
    await expect(result).rejects.toThrow('compilers: arm-linux-musleabihf-gcc')
    expect(await toolCacheEntries()).toEqual([])
  })

  it('tries the next template after a failed one', async () => {
    const archive = await muslCcArchive(work)
    server.script('/missing.tgz', { status: 404 })
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })

    const toolchain = await provideToolchain(
      {
        arch: POWERPC,
        urls: [server.url('/missing.tgz'), server.url('/{triple}-cross.tgz')],
        sha256: sha256(archive),
        cache: false
      },
      ui,
      services()
    )

    expect(toolchain.source).toBe(server.url('/powerpc-linux-musl-cross.tgz'))
    expect(server.count('/missing.tgz')).toBe(1)
  })
})

describe('provideToolchain failures', () => {
  it('names the unreachable default sources', async () => {
    server.script('/a.tgz', { status: 503 })
    const probe = await startServer()
    const closed = new URL(probe.origin).port
    await probe.close()
    const builtIn = (): ToolchainSource[] => [
      {
        label: 'first',
        url: server.url('/a.tgz'),
        format: 'tar.gz',
        checksum: {
          kind: 'pinned',
          algorithm: 'sha256',
          digest: 'ab'.repeat(32)
        },
        builtIn: true
      },
      {
        label: 'second',
        url: `http://127.0.0.1:${closed}/b.tgz`,
        format: 'tar.gz',
        checksum: {
          kind: 'pinned',
          algorithm: 'sha256',
          digest: 'ab'.repeat(32)
        },
        builtIn: true
      }
    ]

    const result = provideToolchain(
      { arch: POWERPC, urls: [], cache: false },
      ui,
      services({ builtInSources: builtIn })
    )

    await expect(result).rejects.toThrow(
      'the default toolchain sources could not be reached. Without internet access, pass `--toolchain-url` (input toolchain-url) with a loopback server, such as http://127.0.0.1:8000/{triple}-cross.tgz, or `--toolchain-path` with an installed toolchain, and `--buildrump-path` (input buildrump-path) with a fetched buildrump.sh checkout that has its src folder.'
    )
    await expect(result).rejects.toThrow(`${server.url('/a.tgz')}: HTTP 503`)
    await expect(result).rejects.toThrow(
      `second http://127.0.0.1:${closed}/b.tgz: could not connect (ECONNREFUSED)`
    )
    expect(server.count('/a.tgz')).toBe(2)
  })

  it('rejects a template with another scheme', async () => {
    const result = provideToolchain(
      { arch: POWERPC, urls: ['ftp://127.0.0.1/{triple}.tgz'], cache: false },
      ui,
      services()
    )

    await expect(result).rejects.toThrow(
      'toolchain-url "ftp://127.0.0.1/{triple}.tgz" uses the unsupported scheme ftp:'
    )
  })

  it('rejects a toolchain-path without a compiler', async () => {
    const empty = path.join(work, 'empty', 'bin')
    await fs.mkdir(empty, { recursive: true })
    await fs.writeFile(path.join(empty, 'README'), 'nothing here\n')

    const result = provideToolchain(
      {
        arch: POWERPC,
        urls: [],
        toolchainPath: path.dirname(empty),
        cache: false
      },
      ui,
      services()
    )

    await expect(result).rejects.toThrow('No C compiler for powerpc-linux-musl')
    await expect(result).rejects.toThrow(
      'contains 1 entries (no *-gcc): README'
    )
    expect(server.requests).toEqual([])
  })
})

describe('provideToolchain caches', () => {
  it('uses an installed toolchain-path', async () => {
    await writeFakeToolchain(path.join(work, 'installed'), {
      prefix: POWERPC.triple,
      top: 'powerpc-linux-musl-cross'
    })
    const dir = path.join(work, 'installed', 'powerpc-linux-musl-cross')

    const toolchain = await provideToolchain(
      { arch: POWERPC, urls: [], toolchainPath: dir, cache: true },
      ui,
      services()
    )

    expect(toolchain.source).toBe('toolchain-path')
    expect(toolchain.dir).toBe(dir)
    expect(toolchain.cacheKey).toBeUndefined()
    expect(cache.restores).toEqual([])
  })

  it('hits the tool cache on the second call', async () => {
    const archive = await muslCcArchive(work)
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })
    const request = {
      arch: POWERPC,
      urls: [server.url('/{triple}-cross.tgz')],
      sha256: sha256(archive),
      cache: false
    }

    const first = await provideToolchain(request, ui, services())
    const second = await provideToolchain(request, ui, services())

    expect(second.source).toBe('tool-cache')
    expect(second.cacheHit).toBe(true)
    expect(second.cc).toBe(first.cc)
    expect(second.sha256).toBe(sha256(archive))
    expect(server.count('/powerpc-linux-musl-cross.tgz')).toBe(1)
  })

  it('gives another archive its own entry', async () => {
    const archive = await muslCcArchive(work)
    server.script('/one/powerpc-linux-musl-cross.tgz', { body: archive })
    server.script('/two/powerpc-linux-musl-cross.tgz', { body: archive })

    for (const folder of ['one', 'two']) {
      await provideToolchain(
        {
          arch: POWERPC,
          urls: [server.url(`/${folder}/{triple}-cross.tgz`)],
          sha256: sha256(archive),
          cache: false
        },
        ui,
        services()
      )
    }

    expect(await toolCacheEntries()).toHaveLength(2)
    expect(server.count('/two/powerpc-linux-musl-cross.tgz')).toBe(1)
  })

  it('saves to and restores from the GitHub cache', async () => {
    const archive = await muslCcArchive(work)
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })
    const request = {
      arch: POWERPC,
      urls: [server.url('/{triple}-cross.tgz')],
      sha256: sha256(archive),
      cache: true
    }

    const downloaded = await provideToolchain(request, ui, services())
    expect(downloaded.cacheKey).toMatch(
      /^rump-cross-musl-cross-powerpc-linux-musl-linux-/
    )
    expect(await saveToolchainCache(downloaded, ui, { cache })).toBe(true)
    expect([...cache.saved.keys()]).toEqual([downloaded.cacheKey])

    // A new job: the runner tool cache is empty again.
    await fs.rm(path.join(work, 'tool-cache'), { recursive: true })
    const restored = await provideToolchain(request, ui, services())

    expect(restored.source).toBe('github-cache')
    expect(restored.cacheHit).toBe(true)
    expect(restored.cacheKey).toBe(downloaded.cacheKey)
    expect(server.count('/powerpc-linux-musl-cross.tgz')).toBe(1)
    expect(await saveToolchainCache(restored, ui, { cache })).toBe(false)
  })

  it('downloads after a GitHub cache miss', async () => {
    const archive = await muslCcArchive(work)
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })

    const toolchain = await provideToolchain(
      {
        arch: POWERPC,
        urls: [server.url('/{triple}-cross.tgz')],
        sha256: sha256(archive),
        cache: true
      },
      ui,
      services()
    )

    expect(cache.restores).toHaveLength(1)
    expect(cache.restores[0].primaryKey).toBe(toolchain.cacheKey)
    expect(toolchain.source).toBe(server.url('/powerpc-linux-musl-cross.tgz'))
  })

  it('skips an unavailable GitHub cache quietly', async () => {
    const archive = await muslCcArchive(work)
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })
    const offline = new FakeCache(path.join(work, 'unused'), false)
    const request = {
      arch: POWERPC,
      urls: [server.url('/{triple}-cross.tgz')],
      sha256: sha256(archive),
      cache: true
    }

    const toolchain = await provideToolchain(
      request,
      ui,
      services({ cache: offline })
    )

    expect(offline.restores).toEqual([])
    expect(ui.warnings).toEqual([])
    expect(ui.lines).toContain(
      'debug: The GitHub cache service is not available here, so the toolchain is not restored from it.'
    )
    expect(await saveToolchainCache(toolchain, ui, { cache: offline })).toBe(
      false
    )
  })

  it('warns when saving fails', async () => {
    const archive = await muslCcArchive(work)
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })
    const toolchain = await provideToolchain(
      {
        arch: POWERPC,
        urls: [server.url('/{triple}-cross.tgz')],
        sha256: sha256(archive),
        cache: true
      },
      ui,
      services()
    )
    cache.saveError = new Error('reserve failed: HTTP 500')

    const saved = await saveToolchainCache(toolchain, ui, { cache })

    expect(saved).toBe(false)
    expect(ui.warnings).toHaveLength(1)
    expect(ui.warnings[0]).toContain('reserve failed: HTTP 500')
  })

  it('falls back to an older cached toolchain', async () => {
    const archive = await muslCcArchive(work)
    server.script('/old/powerpc-linux-musl-cross.tgz', { body: archive })
    const old = await provideToolchain(
      {
        arch: POWERPC,
        urls: [server.url('/old/{triple}-cross.tgz')],
        sha256: sha256(archive),
        cache: true
      },
      ui,
      services()
    )
    await saveToolchainCache(old, ui, { cache })
    await fs.rm(path.join(work, 'tool-cache'), { recursive: true })
    server.script('/new/powerpc-linux-musl-cross.tgz', { status: 500 })

    const toolchain = await provideToolchain(
      {
        arch: POWERPC,
        urls: [server.url('/new/{triple}-cross.tgz')],
        cache: true
      },
      ui,
      services()
    )

    expect(toolchain.source).toBe('github-cache')
    expect(toolchain.cacheHit).toBe(true)
    expect(toolchain.sha256).toBe(sha256(archive))
    expect(ui.warnings).toHaveLength(1)
    expect(ui.warnings[0]).toContain('Every toolchain source failed')
    expect(ui.warnings[0]).toContain(
      server.url('/old/powerpc-linux-musl-cross.tgz')
    )
    expect(cache.restores.at(-1)?.restoreKeys).toEqual([
      `rump-cross-musl-cross-powerpc-linux-musl-${process.platform}-${os.arch()}-`
    ])
  })

  it('does not fall back after a 404 template', async () => {
    const archive = await muslCcArchive(work)
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })
    await provideToolchain(
      {
        arch: POWERPC,
        urls: [server.url('/{triple}-cross.tgz')],
        sha256: sha256(archive),
        cache: true
      },
      ui,
      services()
    )

    const result = provideToolchain(
      { arch: POWERPC, urls: [server.url('/typo/{triple}.tgz')], cache: true },
      ui,
      services()
    )

    await expect(result).rejects.toThrow('HTTP 404')
    expect(ui.warnings).toEqual([])
  })

  it('does not fall back after a checksum mismatch', async () => {
    const archive = await muslCcArchive(work)
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })
    const request = {
      arch: POWERPC,
      urls: [server.url('/{triple}-cross.tgz')],
      sha256: sha256(archive),
      cache: true
    }
    await provideToolchain(request, ui, services())

    const result = provideToolchain(
      { ...request, sha256: 'cd'.repeat(32) },
      ui,
      services()
    )

    await expect(result).rejects.toThrow('Checksum mismatch')
  })
})

describe('post step', () => {
  const saved = { ...process.env }

  afterEach(() => {
    process.env = { ...saved }
  })

  it('saves the toolchain the main step recorded', async () => {
    const archive = await muslCcArchive(work)
    server.script('/powerpc-linux-musl-cross.tgz', { body: archive })
    const stateFile = path.join(work, 'state')
    await fs.writeFile(stateFile, '')
    process.env.GITHUB_STATE = stateFile

    const toolchain = await provideToolchain(
      {
        arch: POWERPC,
        urls: [server.url('/{triple}-cross.tgz')],
        sha256: sha256(archive),
        cache: true
      },
      ui,
      services()
    )
    const state = await fs.readFile(stateFile, 'utf8')
    expect(state).toContain(`toolchain<<`)
    // The runner passes saved state to the post step as STATE_<name>.
    process.env.STATE_toolchain = JSON.stringify(toolchain)
    await runPost(ui, { cache })

    expect([...cache.saved.keys()]).toEqual([toolchain.cacheKey])
    expect(ui.warnings).toEqual([])
  })

  it('does nothing without recorded state', async () => {
    delete process.env.STATE_toolchain

    await runPost(ui, { cache })

    expect(cache.saved.size).toBe(0)
    expect(ui.warnings).toEqual([])
  })

  it('warns instead of failing', async () => {
    process.env.STATE_toolchain = '{not json'

    await runPost(ui, { cache })

    expect(ui.warnings).toHaveLength(1)
    expect(ui.warnings[0]).toContain(
      'Saving the toolchain to the GitHub cache failed'
    )
  })
})

describe('binutilsEnv', () => {
  it('lists the tools that exist', async () => {
    await writeFakeToolchain(path.join(work, 'installed'), {
      prefix: POWERPC.vendorTriple,
      top: POWERPC.vendorTriple
    })
    const toolchain: Toolchain = await provideToolchain(
      {
        arch: POWERPC,
        urls: [],
        toolchainPath: path.join(work, 'installed', POWERPC.vendorTriple),
        cache: false
      },
      ui,
      services()
    )

    const env = binutilsEnv(toolchain)

    expect(Object.keys(env).sort()).toEqual([
      'AR',
      'CC',
      'NM',
      'OBJCOPY',
      'STRIP'
    ])
    expect(env.CC).toBe(toolchain.cc)
    expect(env.AR).toBe(
      path.join(toolchain.binDir, 'powerpc-unknown-linux-musl-ar')
    )
  })
})
