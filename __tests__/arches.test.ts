import { describe, expect, it } from '@jest/globals'
import {
  ARCHES,
  type Arch,
  findArch,
  supportedArchNames
} from '../src/arches.js'
import { findBinfmtPattern } from '../src/host/magic.js'

const SUPPORTED = ARCHES.filter(arch => arch.unsupported === undefined)

/** Returns every string that findArch matches for `arch`. */
function keysOf(arch: Arch): string[] {
  return [arch.name, ...arch.aliases, arch.triple, arch.vendorTriple]
}

/** Returns the values that occur more than once in `values`. */
function duplicates(values: readonly string[]): string[] {
  return values.filter((value, index) => values.indexOf(value) !== index)
}

/** Decodes a binfmt_misc string of `\xNN` escapes into bytes. */
function escapedBytes(text: string): number[] {
  return text
    .split('\\x')
    .slice(1)
    .map(hex => parseInt(hex, 16))
}

describe('ARCHES table', () => {
  it('ARCHES names are unique', () => {
    expect(duplicates(ARCHES.map(arch => arch.name))).toEqual([])
  })

  it('ARCHES lookup keys are unique', () => {
    expect(duplicates(ARCHES.flatMap(keysOf))).toEqual([])
  })

  it('ARCHES lookup keys are lower case', () => {
    const keys = ARCHES.flatMap(keysOf)

    expect(keys.filter(key => key !== key.toLowerCase())).toEqual([])
  })

  it('ARCHES lookup keys have no spaces', () => {
    const keys = ARCHES.flatMap(keysOf)

    expect(keys.filter(key => /\s/.test(key) || key === '')).toEqual([])
  })

  it.each(ARCHES.map(arch => [arch.name, arch] as const))(
    'ARCHES %s vendorTriple inserts -unknown-',
    (_name, arch) => {
      const [first, ...rest] = arch.triple.split('-')

      expect(arch.vendorTriple).toBe([first, 'unknown', ...rest].join('-'))
    }
  )

  it.each([
    ['powerpc', 'powerpc-unknown-linux-musl'],
    ['armhf', 'arm-unknown-linux-musleabihf'],
    ['arm', 'arm-unknown-linux-musleabi'],
    ['x86_64', 'x86_64-unknown-linux-musl']
  ])('ARCHES %s vendorTriple is %s', (name, vendorTriple) => {
    expect(findArch(name)?.vendorTriple).toBe(vendorTriple)
  })

  it.each(ARCHES.map(arch => [arch.name, arch] as const))(
    'ARCHES %s triple is a musl triple',
    (_name, arch) => {
      expect(arch.triple).toMatch(/^[a-z0-9_]+-linux-musl[a-z]*$/)
    }
  )

  it.each(SUPPORTED.map(arch => [arch.name, arch] as const))(
    'ARCHES %s has a NetBSD machine',
    (_name, arch) => {
      expect(arch.netbsdMachine).not.toBe('')
    }
  )

  it.each(SUPPORTED.map(arch => [arch.name, arch] as const))(
    'ARCHES %s has a qemu name',
    (_name, arch) => {
      expect(arch.qemu).not.toBe('')
    }
  )

  it.each(ARCHES.map(arch => [arch.name, arch] as const))(
    'ARCHES %s unsupported reason is not blank',
    (_name, arch) => {
      expect(arch.unsupported?.trim()).not.toBe('')
    }
  )

  // The machines that evalmachine, probearm, probeaarch64 and probemips of
  // buildrump.sh 6cccd46 pick for each target.
  it.each([
    ['powerpc', 'evbppc'],
    ['powerpc64', 'evbppc64'],
    ['armhf', 'evbearmhf-el'],
    ['arm', 'evbearm-el'],
    ['aarch64', 'evbarm64-el'],
    ['mips', 'evbmips-eb'],
    ['mipsel', 'evbmips-el'],
    ['mips64', 'evbmips64-eb'],
    ['mips64el', 'evbmips64-el'],
    ['i686', 'i386'],
    ['x86_64', 'amd64'],
    ['riscv64', 'riscv']
  ])('ARCHES %s builds NetBSD machine %s', (name, machine) => {
    expect(findArch(name)?.netbsdMachine).toBe(machine)
  })

  it.each([
    ['powerpc', 'ppc'],
    ['powerpc64', 'ppc64'],
    ['armhf', 'arm'],
    ['arm', 'arm'],
    ['aarch64', 'aarch64'],
    ['mips', 'mips'],
    ['mipsel', 'mipsel'],
    ['mips64', 'mips64'],
    ['mips64el', 'mips64el'],
    ['i686', 'i386'],
    ['x86_64', 'x86_64'],
    ['riscv64', 'riscv64']
  ])('ARCHES %s runs under qemu-%s', (name, qemu) => {
    expect(findArch(name)?.qemu).toBe(qemu)
  })
})

describe('findArch', () => {
  const lookups = ARCHES.flatMap(arch =>
    keysOf(arch).map(key => [key, arch.name] as const)
  )

  it.each(lookups)('findArch %j is %s', (key, name) => {
    expect(findArch(key)?.name).toBe(name)
  })

  it.each(lookups)('findArch upper-case %j is %s', (key, name) => {
    expect(findArch(key.toUpperCase())?.name).toBe(name)
  })

  it('findArch trims spaces', () => {
    expect(findArch(' \tarm64\n')?.name).toBe('aarch64')
  })

  it.each(['', '   ', 'vax', 'powerpc-linux-gnu', 'arm64x', 'evbppc'])(
    'findArch %j finds nothing',
    value => {
      expect(findArch(value)).toBeUndefined()
    }
  )

  it('findArch returns unsupported entries', () => {
    expect(findArch('ppc64el')?.unsupported).toContain('evbppc64')
  })
})

describe('supportedArchNames', () => {
  it('supportedArchNames lists the supported entries', () => {
    expect(supportedArchNames()).toEqual([
      'powerpc',
      'powerpc64',
      'armhf',
      'arm',
      'aarch64',
      'mips',
      'mipsel',
      'mips64',
      'mips64el',
      'i686',
      'x86_64',
      'riscv64'
    ])
  })

  it.each(['powerpc64le', 's390x'])(
    'supportedArchNames leaves out %s',
    name => {
      expect(supportedArchNames()).not.toContain(name)
    }
  )
})

describe('binfmt patterns of ARCHES', () => {
  it.each(SUPPORTED.map(arch => [arch.name, arch.qemu] as const))(
    'ARCHES %s qemu-%s has a binfmt pattern',
    (_name, qemu) => {
      expect(findBinfmtPattern(qemu)).toBeDefined()
    }
  )

  // The pattern starts with the ELF header: EI_CLASS at offset 4 (1 for
  // 32-bit, 2 for 64-bit), EI_DATA at 5 (1 little, 2 big endian) and
  // e_machine at 18 in the file's byte order.
  const headers = SUPPORTED.map(arch => {
    const bytes = escapedBytes(findBinfmtPattern(arch.qemu)?.magic ?? '')
    const machine =
      arch.endianness === 'little'
        ? bytes[18] | (bytes[19] << 8)
        : (bytes[18] << 8) | bytes[19]
    return { arch, bytes, machine }
  })

  it.each(headers.map(header => [header.arch.name, header] as const))(
    'binfmt pattern of %s is an ELF magic',
    (_name, { bytes }) => {
      expect(bytes.slice(0, 4)).toEqual([0x7f, 0x45, 0x4c, 0x46])
    }
  )

  it.each(headers.map(header => [header.arch.name, header] as const))(
    'binfmt pattern of %s has its ELF class',
    (_name, { arch, bytes }) => {
      expect(bytes[4]).toBe(arch.bits === 32 ? 1 : 2)
    }
  )

  it.each(headers.map(header => [header.arch.name, header] as const))(
    'binfmt pattern of %s has its byte order',
    (_name, { arch, bytes }) => {
      expect(bytes[5]).toBe(arch.endianness === 'little' ? 1 : 2)
    }
  )

  it.each(headers.map(header => [header.arch.name, header] as const))(
    'binfmt pattern of %s has its e_machine',
    (_name, { arch, machine }) => {
      expect(machine).toBe(arch.elfMachine)
    }
  )

  it.each(['', 'vax', 'toString', '__proto__', 'constructor'])(
    'findBinfmtPattern %j finds nothing',
    qemu => {
      expect(findBinfmtPattern(qemu)).toBeUndefined()
    }
  )
})
