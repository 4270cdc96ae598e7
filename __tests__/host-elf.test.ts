import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describeElf, readElf } from '../src/host/elf.js'
import { type ElfSpec, makeElf } from './fixtures/binfmt/make-elf.js'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rump-cross-elf-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function elfFile(name: string, spec: ElfSpec): Promise<string> {
  const file = path.join(dir, name)
  await writeFile(file, makeElf(spec))
  return file
}

describe('readElf', () => {
  const cases: ElfSpec[] = [
    { bits: 32, endianness: 'big', machine: 20 },
    { bits: 32, endianness: 'little', machine: 40 },
    { bits: 64, endianness: 'big', machine: 22 },
    { bits: 64, endianness: 'little', machine: 183 }
  ]
  it.each(cases)('reads a static %o', async spec => {
    const file = await elfFile(`static-${spec.machine}`, spec)
    expect(await readElf(file)).toEqual({ ...spec })
  })

  it.each(cases)('reads PT_INTERP of %o', async spec => {
    const interpreter = '/lib/ld-musl-test.so.1'
    const file = await elfFile(`dynamic-${spec.machine}`, {
      ...spec,
      interpreter
    })
    expect(await readElf(file)).toEqual({ ...spec, interpreter })
  })

  it('returns undefined for a script', async () => {
    const file = path.join(dir, 'script')
    await writeFile(file, '#!/bin/sh\necho hello\n')
    expect(await readElf(file)).toBeUndefined()
  })

  it('returns undefined for a short file', async () => {
    const file = path.join(dir, 'short')
    await writeFile(file, '\x7fELF')
    expect(await readElf(file)).toBeUndefined()
  })

  it('throws for a missing file', async () => {
    await expect(readElf(path.join(dir, 'missing'))).rejects.toThrow(/ENOENT/)
  })

  const hostTrue = ['/usr/bin/true', '/bin/true'].find(f => existsSync(f))
  ;(hostTrue ? it : it.skip)('finds the loader of the host true', async () => {
    const elf = await readElf(hostTrue as string)
    expect(elf?.interpreter).toMatch(/^\/lib.*\/ld-/)
  })

  const qemu = '/usr/bin/qemu-ppc-static'
  ;(existsSync(qemu) ? it : it.skip)(
    'finds no loader in qemu-user-static',
    async () => {
      const elf = await readElf(qemu)
      expect(elf).toBeDefined()
      expect(elf?.interpreter).toBeUndefined()
    }
  )
})

describe('describeElf', () => {
  it('names the machine, class and byte order', () => {
    expect(describeElf({ bits: 32, endianness: 'big', machine: 20 })).toBe(
      'PowerPC (e_machine 20), 32-bit big-endian'
    )
  })

  it('marks an unknown machine', () => {
    expect(describeElf({ bits: 64, endianness: 'little', machine: 9999 })).toBe(
      'unknown machine (e_machine 9999), 64-bit little-endian'
    )
  })
})
