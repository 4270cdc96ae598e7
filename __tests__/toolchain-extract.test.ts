// extractArchive on hand-made tar archives: entries that try to escape the
// target folder, and the links a real toolchain archive contains.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { Header } from 'tar'
import {
  EntryChecker,
  UnsafeArchiveError,
  extractArchive
} from '../src/toolchain/extract.js'

const run = promisify(execFile)

interface RawEntry {
  readonly path: string
  readonly type?:
    'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice'
  readonly body?: string
  readonly linkpath?: string
}

/** Builds an uncompressed tar archive entry by entry, without any checks. */
function tarBuffer(entries: readonly RawEntry[]): Buffer {
  const blocks: Buffer[] = []
  for (const entry of entries) {
    const type = entry.type ?? 'File'
    const body = Buffer.from(entry.body ?? '')
    const header = new Header({
      path: entry.path,
      type,
      mode: type === 'Directory' ? 0o755 : 0o644,
      size: type === 'File' ? body.length : 0,
      linkpath: entry.linkpath,
      mtime: new Date(0),
      uid: 0,
      gid: 0
    })
    header.encode()
    blocks.push(header.block as Buffer)
    if (type === 'File' && body.length > 0) {
      blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512))
    }
  }
  blocks.push(Buffer.alloc(1024))
  return Buffer.concat(blocks)
}

let work: string
let outside: string
let target: string

beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'extract-test-'))
  outside = path.join(work, 'outside')
  await fs.mkdir(outside)
  target = path.join(work, 'out', 'tree')
})

afterEach(async () => {
  await fs.rm(work, { recursive: true, force: true })
})

async function writeTgz(entries: readonly RawEntry[]): Promise<string> {
  const file = path.join(work, 'archive.tgz')
  await fs.writeFile(file, gzipSync(tarBuffer(entries)))
  return file
}

async function writeTxz(entries: readonly RawEntry[]): Promise<string> {
  const tarFile = path.join(work, 'archive.tar')
  await fs.writeFile(tarFile, tarBuffer(entries))
  await run('xz', ['--compress', '--force', tarFile])
  return `${tarFile}.xz`
}

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false
  )
}

const SAFE_START: RawEntry[] = [
  { path: 'top/', type: 'Directory' },
  { path: 'top/ok.txt', body: 'fine\n' }
]

describe('extractArchive rejects', () => {
  it('a ../ entry', async () => {
    const file = await writeTgz([
      ...SAFE_START,
      { path: '../escaped.txt', body: 'x' }
    ])

    const result = extractArchive(file, target)

    await expect(result).rejects.toThrow(UnsafeArchiveError)
    await expect(result).rejects.toThrow(
      'its entry "../escaped.txt" contains a ".." component'
    )
    expect(await exists(path.join(work, 'out', 'escaped.txt'))).toBe(false)
    expect(await exists(target)).toBe(false)
  })

  it('a ../ entry inside a path', async () => {
    const file = await writeTgz([
      ...SAFE_START,
      { path: 'top/../../escaped.txt', body: 'x' }
    ])

    await expect(extractArchive(file, target)).rejects.toThrow(
      'contains a ".." component'
    )
    expect(await exists(path.join(work, 'out', 'escaped.txt'))).toBe(false)
  })

  it('an absolute path', async () => {
    const victim = path.join(outside, 'absolute.txt')
    const file = await writeTgz([...SAFE_START, { path: victim, body: 'x' }])

    const result = extractArchive(file, target)

    await expect(result).rejects.toThrow(
      `its entry "${victim}" is an absolute path`
    )
    expect(await exists(victim)).toBe(false)
  })

  it('a file below a symbolic link to /', async () => {
    const throughLink = `root${outside}/escaped.txt`
    const file = await writeTgz([
      ...SAFE_START,
      { path: 'root', type: 'SymbolicLink', linkpath: '/' },
      { path: throughLink, body: 'x' }
    ])

    const result = extractArchive(file, target)

    await expect(result).rejects.toThrow(
      `its entry "${throughLink}" lies below "root", a symbolic link from the same archive`
    )
    expect(await exists(path.join(outside, 'escaped.txt'))).toBe(false)
    expect(await exists(target)).toBe(false)
  })

  it('a file below a nested symbolic link', async () => {
    const file = await writeTgz([
      ...SAFE_START,
      { path: 'top/link', type: 'SymbolicLink', linkpath: outside },
      { path: 'top/./link/escaped.txt', body: 'x' }
    ])

    await expect(extractArchive(file, target)).rejects.toThrow(
      'lies below "top/link"'
    )
    expect(await exists(path.join(outside, 'escaped.txt'))).toBe(false)
  })

  it('a hard link to an absolute path', async () => {
    const file = await writeTgz([
      ...SAFE_START,
      { path: 'top/passwd', type: 'Link', linkpath: '/etc/passwd' }
    ])

    await expect(extractArchive(file, target)).rejects.toThrow(
      'its entry "top/passwd" is a hard link to "/etc/passwd", which is an absolute path'
    )
  })

  it('a hard link that climbs out', async () => {
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret\n')
    const file = await writeTgz([
      ...SAFE_START,
      { path: 'top/secret', type: 'Link', linkpath: '../../outside/secret.txt' }
    ])

    await expect(extractArchive(file, target)).rejects.toThrow(
      'is a hard link to "../../outside/secret.txt", which contains a ".." component'
    )
  })

  it('a hard link through a symbolic link', async () => {
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret\n')
    const file = await writeTgz([
      ...SAFE_START,
      { path: 'top/out', type: 'SymbolicLink', linkpath: outside },
      { path: 'top/secret', type: 'Link', linkpath: 'top/out/secret.txt' }
    ])

    await expect(extractArchive(file, target)).rejects.toThrow(
      'is a hard link to "top/out/secret.txt", which lies below "top/out"'
    )
  })

  it('a device entry', async () => {
    const file = await writeTgz([
      ...SAFE_START,
      { path: 'top/null', type: 'CharacterDevice' }
    ])

    await expect(extractArchive(file, target)).rejects.toThrow(
      'has the type CharacterDevice, which a toolchain archive does not contain'
    )
  })

  it('an unsafe .tar.xz', async () => {
    const file = await writeTxz([
      ...SAFE_START,
      { path: '../escaped.txt', body: 'x' }
    ])

    await expect(extractArchive(file, target)).rejects.toThrow(
      'contains a ".." component'
    )
    expect(await exists(target)).toBe(false)
  })

  it('a file that is not compressed', async () => {
    const file = path.join(work, 'plain.tgz')
    await fs.writeFile(file, 'just text\n')

    await expect(
      extractArchive(file, target, 'http://127.0.0.1/plain.tgz')
    ).rejects.toThrow(
      'http://127.0.0.1/plain.tgz is neither a gzip nor an xz compressed file'
    )
  })

  it('a damaged gzip file', async () => {
    const file = path.join(work, 'damaged.tgz')
    const archive = gzipSync(tarBuffer(SAFE_START))
    await fs.writeFile(file, archive.subarray(0, archive.length - 20))

    await expect(extractArchive(file, target)).rejects.toThrow(
      'Could not unpack'
    )
  })

  it('a .tar.xz with a damaged header', async () => {
    const tarFile = path.join(work, 'damaged.tar')
    const garbage = Buffer.alloc(512, 0x41)
    const rest = tarBuffer([
      { path: 'top/big', body: 'x'.repeat(4 * 1024 * 1024) }
    ])
    await fs.writeFile(
      tarFile,
      Buffer.concat([tarBuffer(SAFE_START).subarray(0, -1024), garbage, rest])
    )
    await run('xz', ['--compress', '--force', tarFile])

    const result = extractArchive(`${tarFile}.xz`, target)

    await expect(result).rejects.toThrow('Could not unpack')
    await expect(result).rejects.not.toThrow('xz could not decompress')
  })

  it('a damaged xz file', async () => {
    const file = await writeTxz(SAFE_START)
    const data = await fs.readFile(file)
    await fs.writeFile(file, data.subarray(0, data.length - 20))

    await expect(extractArchive(file, target)).rejects.toThrow(
      'xz could not decompress'
    )
  })
})

describe('extractArchive keeps', () => {
  const LINKS: RawEntry[] = [
    { path: 'top/', type: 'Directory' },
    { path: 'top/bin/', type: 'Directory' },
    { path: 'top/bin/tool', body: '#!/bin/sh\n' },
    { path: 'top/bin/tool-1.0', type: 'Link', linkpath: 'top/bin/tool' },
    { path: 'top/bin/alias', type: 'SymbolicLink', linkpath: 'tool' },
    { path: 'top/lib', type: 'SymbolicLink', linkpath: '/usr/lib/nowhere' },
    { path: 'top/dangling', type: 'SymbolicLink', linkpath: '../missing' },
    { path: 'top/usr', type: 'SymbolicLink', linkpath: '.' }
  ]

  it.each([
    ['.tgz', writeTgz],
    ['.tar.xz', writeTxz]
  ])('links in a %s', async (_name, write) => {
    const file = await write(LINKS)

    const count = await extractArchive(file, target)

    expect(count).toBe(LINKS.length)
    const top = path.join(target, 'top')
    expect(await fs.readlink(path.join(top, 'lib'))).toBe('/usr/lib/nowhere')
    expect(await fs.readlink(path.join(top, 'dangling'))).toBe('../missing')
    expect(await fs.readlink(path.join(top, 'usr'))).toBe('.')
    expect(await fs.readlink(path.join(top, 'bin', 'alias'))).toBe('tool')
    const tool = await fs.stat(path.join(top, 'bin', 'tool'))
    const hardLink = await fs.stat(path.join(top, 'bin', 'tool-1.0'))
    expect(hardLink.ino).toBe(tool.ino)
  })

  it('a folder that replaces a symbolic link', async () => {
    const file = await writeTgz([
      { path: 'top/', type: 'Directory' },
      { path: 'top/x', type: 'SymbolicLink', linkpath: outside },
      { path: 'top/x/', type: 'Directory' },
      { path: 'top/x/inside.txt', body: 'x' }
    ])

    await extractArchive(file, target)

    expect(
      await fs.readFile(path.join(target, 'top', 'x', 'inside.txt'), 'utf8')
    ).toBe('x')
    expect(await fs.readdir(outside)).toEqual([])
  })
})

describe('EntryChecker', () => {
  it('accepts ./ prefixes', () => {
    const checker = new EntryChecker()

    expect(
      checker.problem({ path: './top/', type: 'Directory' })
    ).toBeUndefined()
    expect(
      checker.problem({ path: './top/file', type: 'File' })
    ).toBeUndefined()
  })

  it('rejects an empty path', () => {
    expect(new EntryChecker().problem({ path: '', type: 'File' })).toContain(
      'empty'
    )
  })

  it('rejects a Windows drive path', () => {
    expect(new EntryChecker().problem({ path: 'C:/x', type: 'File' })).toBe(
      'is an absolute path'
    )
  })
})
