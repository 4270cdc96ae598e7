// Measures provideToolchain from a loopback server: once with an empty tool
// cache (download, checksum, extraction, copy into the cache, compiler
// probe) and once with the entry in place.
//
//   npx tsx bench/toolchain.ts [--archive FILE] [--size-mb N] [--format tgz|txz]
//                              [--verbose]
//
// Without --archive it builds a fake powerpc toolchain: a shell-script gcc
// plus N MiB (default 32) of files that compress about as well as compiled
// code. With --archive it serves that file as the powerpc archive, so a real
// toolchain (musl.cc or cross-tools layout) can be measured too.
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { parseArgs, promisify } from 'node:util'
import {
  type TestServer,
  startServer
} from '../__tests__/support/http-server.js'
import { type Arch, findArch } from '../src/arches.js'
import { provideToolchain } from '../src/toolchain/index.js'
import { TerminalUi } from '../src/ui.js'

const run = promisify(execFile)
const POWERPC = findArch('powerpc') as Arch

// @actions/tool-cache prints `::debug::` lines; they are noise here.
const writeStdout = process.stdout.write.bind(process.stdout)
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
  String(chunk).startsWith('::debug::')
    ? true
    : writeStdout(chunk, ...rest)) as typeof process.stdout.write

/** Returns data that xz and gzip shrink to about a third, like binaries. */
function binaryLike(size: number): Buffer {
  const data = Buffer.alloc(size)
  const pattern = randomBytes(4096)
  for (let offset = 0; offset < size; offset += 64) {
    const noise = randomBytes(24)
    pattern.copy(data, offset, offset % 4096, (offset % 4096) + 40)
    noise.copy(data, offset + 40)
  }
  return data
}

async function buildFakeArchive(
  work: string,
  sizeMb: number,
  format: string
): Promise<string> {
  const top = `${POWERPC.triple}-cross`
  const bin = path.join(work, top, 'bin')
  const lib = path.join(work, top, 'libexec')
  await fs.mkdir(bin, { recursive: true })
  await fs.mkdir(lib, { recursive: true })
  const gcc = [
    '#!/bin/sh',
    'case "$1" in',
    `  --version) echo "${POWERPC.triple}-gcc (GCC) 11.2.1" ;;`,
    `  -dumpmachine) echo "${POWERPC.triple}" ;;`,
    'esac',
    ''
  ].join('\n')
  await fs.writeFile(path.join(bin, `${POWERPC.triple}-gcc`), gcc, {
    mode: 0o755
  })
  const fileSize = 256 * 1024
  for (let i = 0; i < (sizeMb * 1024 * 1024) / fileSize; i++) {
    await fs.writeFile(path.join(lib, `part-${i}.o`), binaryLike(fileSize))
  }
  const archive = path.join(work, format === 'txz' ? 'fake.tar.xz' : 'fake.tgz')
  await run('tar', [
    format === 'txz' ? '-cJf' : '-czf',
    archive,
    '-C',
    work,
    top
  ])
  return archive
}

async function timeOnce(
  server: TestServer,
  urlPath: string,
  sha256: string,
  root: string,
  verbose: boolean
): Promise<{ seconds: number; source: string }> {
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() })
  const started = process.hrtime.bigint()
  const toolchain = await provideToolchain(
    { arch: POWERPC, urls: [server.url(urlPath)], sha256, cache: false },
    new TerminalUi(verbose ? process.stderr : silent),
    {
      toolCacheDir: path.join(root, 'tool-cache'),
      tempDir: path.join(root, 'temp')
    }
  )
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  return { seconds, source: toolchain.source }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      archive: { type: 'string' },
      'size-mb': { type: 'string', default: '32' },
      format: { type: 'string', default: 'txz' },
      verbose: { type: 'boolean', default: false }
    }
  })
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-toolchain-'))
  const server = await startServer({ lifetimeMs: 30 * 60_000, maxRequests: 10 })
  try {
    const archive =
      values.archive ??
      (await buildFakeArchive(work, Number(values['size-mb']), values.format))
    const data = await fs.readFile(archive)
    const name = archive.endsWith('.tar.xz')
      ? 'toolchain.tar.xz'
      : 'toolchain.tgz'
    server.script(`/${name}`, { body: data })
    const sha256 = createHash('sha256').update(data).digest('hex')

    const verbose = values.verbose ?? false
    const cold = await timeOnce(server, `/${name}`, sha256, work, verbose)
    const warm = await timeOnce(server, `/${name}`, sha256, work, verbose)

    console.log(
      `archive: ${path.basename(archive)}, ${(data.length / 1048576).toFixed(1)} MiB`
    )
    console.log(
      `cold tool cache: ${cold.seconds.toFixed(2)} s (${cold.source})`
    )
    console.log(
      `warm tool cache: ${warm.seconds.toFixed(2)} s (${warm.source})`
    )
  } finally {
    await server.close()
    await fs.rm(work, { recursive: true, force: true })
  }
}

await main()
