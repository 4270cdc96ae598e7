import { describe, expect, it } from '@jest/globals'
import os from 'node:os'
import { supportedArchNames } from '../src/arches.js'
import { UserError } from '../src/errors.js'
import {
  type InputName,
  type InputReader,
  type Inputs,
  readInputs,
  splitArgs
} from '../src/inputs.js'

const CWD = '/work/project'
const SUPPORTED = supportedArchNames().join(', ')

type RawInputs = Partial<Record<InputName, string>>

/** Builds a reader from a plain object. Inputs it lacks read as ''. */
function reader(values: RawInputs): InputReader {
  return name => values[name] ?? ''
}

/** Reads the inputs with arch powerpc unless `values` sets another one. */
function read(values: RawInputs = {}): Inputs {
  return readInputs(reader({ arch: 'powerpc', ...values }), CWD)
}

/** Returns the UserError that reading `values` throws. */
function inputError(values: RawInputs): UserError {
  try {
    read(values)
  } catch (error) {
    if (error instanceof UserError) return error
    throw error
  }
  throw new Error(`readInputs accepted ${JSON.stringify(values)}`)
}

/** Returns the UserError that splitting `value` throws. */
function splitError(value: string): UserError {
  try {
    splitArgs(value)
  } catch (error) {
    if (error instanceof UserError) return error
    throw error
  }
  throw new Error(`splitArgs accepted ${JSON.stringify(value)}`)
}

describe('readInputs arch', () => {
  it.each([
    ['powerpc', 'powerpc'],
    ['ppc', 'powerpc'],
    ['arm64', 'aarch64'],
    ['amd64', 'x86_64'],
    ['x86-64', 'x86_64'],
    ['i386', 'i686'],
    ['armv7', 'armhf'],
    ['rv64', 'riscv64'],
    ['mipsle', 'mipsel'],
    ['powerpc-linux-musl', 'powerpc'],
    ['arm-linux-musleabihf', 'armhf'],
    ['arm-linux-musleabi', 'arm'],
    ['aarch64-unknown-linux-musl', 'aarch64'],
    ['mips64el-unknown-linux-musl', 'mips64el'],
    ['PowerPC', 'powerpc'],
    ['ARM64', 'aarch64'],
    ['AARCH64-LINUX-MUSL', 'aarch64'],
    ['  mips  ', 'mips']
  ])('arch %j resolves to %s', (value, name) => {
    expect(read({ arch: value }).arch.name).toBe(name)
  })

  it('arch resolves to the musl triple', () => {
    expect(read({ arch: 'ppc' }).arch.triple).toBe('powerpc-linux-musl')
  })

  it('arch unknown lists supported names', () => {
    expect(inputError({ arch: 'vax' }).message).toBe(
      `Input arch "vax" is not a known architecture. Use one of: ${SUPPORTED} (an alias or a musl triple such as powerpc-linux-musl works too).`
    )
  })

  it('arch unknown triple is rejected', () => {
    expect(inputError({ arch: 'sparc64-linux-musl' }).message).toContain(
      'Input arch "sparc64-linux-musl" is not a known architecture.'
    )
  })

  it.each(['', '   ', '\n'])('arch empty %j is required', value => {
    expect(inputError({ arch: value }).message).toBe(
      `Input arch is required. Set it to one of: ${SUPPORTED}.`
    )
  })

  it('arch powerpc64le is unsupported', () => {
    expect(inputError({ arch: 'powerpc64le' }).message).toBe(
      `Input arch "powerpc64le" cannot be built: buildrump.sh maps powerpc64le to the big-endian NetBSD machine evbppc64, so the kernel it builds cannot run on a little-endian target. Use one of: ${SUPPORTED}.`
    )
  })

  it('arch ppc64le alias is unsupported', () => {
    expect(inputError({ arch: 'ppc64le' }).message).toContain(
      'Input arch "ppc64le" cannot be built:'
    )
  })

  it('arch s390x is unsupported', () => {
    expect(inputError({ arch: 's390x' }).message).toBe(
      `Input arch "s390x" cannot be built: NetBSD has no s390x port, so buildrump.sh stops with "script does not know machine". Use one of: ${SUPPORTED}.`
    )
  })

  it('arch message lists no unsupported name', () => {
    const message = inputError({ arch: 'vax' }).message

    expect(message).not.toMatch(/powerpc64le|s390x/)
  })
})

describe('readInputs toolchain-url', () => {
  it('toolchain-url empty means built-in sources', () => {
    expect(read().toolchainUrls).toEqual([])
  })

  it('toolchain-url skips comments and blank lines', () => {
    const urls = read({
      'toolchain-url': [
        '# local mirror first',
        '',
        '  http://127.0.0.1:8080/{triple}-cross.tgz  ',
        '   ',
        '#https://127.0.0.1:8443/disabled.tgz',
        'https://127.0.0.1:8443/{triple}.tar.xz'
      ].join('\n')
    }).toolchainUrls

    expect(urls).toEqual([
      'http://127.0.0.1:8080/{triple}-cross.tgz',
      'https://127.0.0.1:8443/{triple}.tar.xz'
    ])
  })

  it('toolchain-url accepts CRLF line ends', () => {
    const urls = read({
      'toolchain-url':
        'http://127.0.0.1:8080/a.tgz\r\nhttp://127.0.0.1:8080/b.tgz\r\n'
    }).toolchainUrls

    expect(urls).toEqual([
      'http://127.0.0.1:8080/a.tgz',
      'http://127.0.0.1:8080/b.tgz'
    ])
  })

  it('toolchain-url keeps {triple} unreplaced', () => {
    const urls = read({
      'toolchain-url': 'http://127.0.0.1:8080/{triple}/{triple}-cross.tgz'
    }).toolchainUrls

    expect(urls).toEqual(['http://127.0.0.1:8080/{triple}/{triple}-cross.tgz'])
  })

  it('toolchain-url accepts file://', () => {
    const urls = read({
      'toolchain-url': 'file:///srv/toolchains/{triple}.tgz'
    }).toolchainUrls

    expect(urls).toEqual(['file:///srv/toolchains/{triple}.tgz'])
  })

  it.each(['127.0.0.1:8080/{triple}.tgz', '{triple}-cross.tgz'])(
    'toolchain-url without scheme %j is rejected',
    value => {
      expect(inputError({ 'toolchain-url': value }).message).toBe(
        `Input toolchain-url "${value}" is not a URL. Give one absolute http://, https:// or file:// URL template per line, such as https://example.org/{triple}-cross.tgz.`
      )
    }
  )

  it('toolchain-url error masks credentials', () => {
    const value = 'ftp://alice:s3cret@127.0.0.1/{triple}.tgz'

    expect(inputError({ 'toolchain-url': value }).message).not.toContain(
      's3cret'
    )
  })

  it('toolchain-url with {vendor-triple} is accepted', () => {
    const value = 'http://127.0.0.1/{vendor-triple}.tar.xz'

    expect(read({ 'toolchain-url': value }).toolchainUrls).toEqual([value])
  })

  it('toolchain-url with ftp:// is rejected', () => {
    const value = 'ftp://127.0.0.1/{triple}.tgz'

    expect(inputError({ 'toolchain-url': value }).message).toBe(
      `Input toolchain-url "${value}" uses the unsupported scheme ftp:. Use http://, https:// or file://.`
    )
  })

  it('toolchain-url names the bad line', () => {
    const error = inputError({
      'toolchain-url': 'http://127.0.0.1:8080/{triple}.tgz\nftp://127.0.0.1/x'
    })

    expect(error.message).toContain(
      'Input toolchain-url "ftp://127.0.0.1/x" uses the unsupported scheme'
    )
  })
})

describe('readInputs toolchain-sha256', () => {
  const digest = '0123456789abcdef'.repeat(4)

  it('toolchain-sha256 empty is undefined', () => {
    expect(read().toolchainSha256).toBeUndefined()
  })

  it('toolchain-sha256 accepts 64 hex digits', () => {
    expect(read({ 'toolchain-sha256': digest }).toolchainSha256).toBe(digest)
  })

  it('toolchain-sha256 uppercase is lowercased', () => {
    const value = digest.toUpperCase()

    expect(read({ 'toolchain-sha256': value }).toolchainSha256).toBe(digest)
  })

  it('toolchain-sha256 surrounding spaces are trimmed', () => {
    const value = `  ${digest}\n`

    expect(read({ 'toolchain-sha256': value }).toolchainSha256).toBe(digest)
  })

  it.each([
    ['63 digits', digest.slice(1)],
    ['65 digits', `${digest}0`],
    ['non-hex digit', `${digest.slice(1)}g`],
    ['sha256sum line', `${digest}  toolchain.tgz`]
  ])('toolchain-sha256 with %s is rejected', (_case, value) => {
    expect(inputError({ 'toolchain-sha256': value }).message).toBe(
      `Input toolchain-sha256 "${value}" is not a sha256 digest. Give the 64 hexadecimal digits printed by sha256sum.`
    )
  })
})

describe('readInputs paths', () => {
  it('buildrump-path defaults to cwd', () => {
    expect(read().buildrumpPath).toBe(CWD)
  })

  it('buildrump-path relative resolves against cwd', () => {
    const inputs = read({ 'buildrump-path': 'vendor/buildrump.sh' })

    expect(inputs.buildrumpPath).toBe('/work/project/vendor/buildrump.sh')
  })

  it('buildrump-path absolute stays as given', () => {
    expect(read({ 'buildrump-path': '/opt/br' }).buildrumpPath).toBe('/opt/br')
  })

  it('src-path empty is undefined', () => {
    expect(read({ 'src-path': '  ' }).srcPath).toBeUndefined()
  })

  it('src-path relative resolves against cwd', () => {
    expect(read({ 'src-path': '../netbsd-src' }).srcPath).toBe(
      '/work/netbsd-src'
    )
  })

  it('toolchain-path empty is undefined', () => {
    expect(read().toolchainPath).toBeUndefined()
  })

  it('toolchain-path relative resolves against cwd', () => {
    expect(read({ 'toolchain-path': 'tc' }).toolchainPath).toBe(
      '/work/project/tc'
    )
  })

  it('buildrump-ref empty uses the pinned commit', () => {
    expect(read().buildrumpRef).toBe('6cccd464a9675ce19eaca569b1c9c2837492038c')
  })

  it('buildrump-ref keeps a given tag', () => {
    expect(read({ 'buildrump-ref': ' v1.0 ' }).buildrumpRef).toBe('v1.0')
  })
})

describe('readInputs commands', () => {
  it('commands default to fullbuild tests', () => {
    expect(read().commands).toEqual(['fullbuild', 'tests'])
  })

  it('commands empty string keeps the default', () => {
    expect(read({ commands: '' }).commands).toEqual(['fullbuild', 'tests'])
  })

  it('commands whitespace keeps the default', () => {
    expect(read({ commands: ' \n ' }).commands).toEqual(['fullbuild', 'tests'])
  })

  it('commands split on spaces and newlines', () => {
    expect(read({ commands: 'tools\n build   install' }).commands).toEqual([
      'tools',
      'build',
      'install'
    ])
  })

  it.each(['bogus', 'tests;rm', 'Tests'])(
    'commands unknown %j is rejected',
    command => {
      const value = `fullbuild ${command}`

      expect(inputError({ commands: value }).message).toBe(
        `Input commands "${value}" contains the unknown buildrump.sh command "${command}". Use commands from: checkout, checkoutgit, checkoutcvs, probe, tools, build, kernelheaders, install, tests, fullbuild.`
      )
    }
  )
})

describe('splitArgs', () => {
  it('splitArgs empty gives no words', () => {
    expect(splitArgs('')).toEqual([])
  })

  it.each([
    ['-V MKPIC=no -j4', ['-V', 'MKPIC=no', '-j4']],
    ["-F 'CFLAGS=-O2 -g'", ['-F', 'CFLAGS=-O2 -g']],
    ['-F "CFLAGS=-O2 -g"', ['-F', 'CFLAGS=-O2 -g']],
    ['-F CFLAGS=-O2\\ -g', ['-F', 'CFLAGS=-O2 -g']],
    ["-V 'X=$HOME'", ['-V', 'X=$HOME']],
    ["-V 'A=1;B=2'", ['-V', 'A=1;B=2']],
    ["-V 'A=*'", ['-V', 'A=*']],
    ['-V "A=#1"', ['-V', 'A=#1']],
    ['  -q\n-k\t-r  ', ['-q', '-k', '-r']]
  ])('splitArgs %j', (value, words) => {
    expect(splitArgs(value)).toEqual(words)
  })

  it.each([
    ['-V A=1; -k', ';'],
    ['-V A=1 | -k', '|'],
    ['-V A=1 && -k', '&&'],
    ['-V A=1 || -k', '||'],
    ['-V A=1 & -k', '&'],
    ['-V A=1 > log', '>'],
    ['-V A=1 < input', '<'],
    ['-V A=1 >> log', '>>'],
    ['(-k)', '('],
    ['-V A=1 # comment', '#']
  ])('splitArgs %j rejects %s', (value, syntax) => {
    expect(splitError(value).message).toBe(
      `Input args "${value}" contains the shell syntax "${syntax}". Quote it if it is meant literally; args are passed to buildrump.sh without a shell, so pipes, redirections, globs and command lists cannot work.`
    )
  })

  it.each([
    ['-V A=*', 'A=*'],
    ['-V A=src/*.c', 'A=src/*.c'],
    ['-V A=?', 'A=?']
  ])('splitArgs glob %j names the pattern', (value, pattern) => {
    expect(splitError(value).message).toContain(
      `Input args "${value}" contains the shell syntax "${pattern}".`
    )
  })

  it('splitArgs keeps # inside a word', () => {
    expect(splitArgs('-V FOO=a#b')).toEqual(['-V', 'FOO=a#b'])
  })

  it.each([
    '-V A=`id`',
    '`id`',
    '-V A=$(id)',
    '-V A=$HOME',
    '-V A=${HOME}',
    '-V "A=$HOME"',
    '$(id)'
  ])('splitArgs %j rejects the substitution', value => {
    expect(splitError(value).message).toBe(
      `Input args "${value}" contains a $ variable or command substitution. Write the value itself; args are passed to buildrump.sh without a shell.`
    )
  })
})

describe('readInputs args', () => {
  it('args empty gives no words', () => {
    expect(read().args).toEqual([])
  })

  it.each([
    ['-qq', ['-qq']],
    ['-j4', ['-j4']],
    ['-j 4', ['-j', '4']],
    ['-VKEY=VAL', ['-VKEY=VAL']],
    ['-V KEY=VAL', ['-V', 'KEY=VAL']],
    ["-F 'CFLAGS=-O2 -g'", ['-F', 'CFLAGS=-O2 -g']],
    ['-D -H -k -r', ['-D', '-H', '-k', '-r']],
    ['-kq', ['-kq']],
    ['-qV MKPIC=no', ['-qV', 'MKPIC=no']],
    ['-T /opt/tools', ['-T', '/opt/tools']],
    ['-V -s', ['-V', '-s']]
  ])('args %j is accepted', (value, words) => {
    expect(read({ args: value }).args).toEqual(words)
  })

  it.each([
    ['-s /src', 's'],
    ['-o /obj', 'o'],
    ['-d /dest', 'd'],
    ['-s/src', 's'],
    ['-qd /dest', 'd'],
    ['-V A=1 -o /obj', 'o']
  ])('args %j sets the owned -%s', (value, letter) => {
    expect(inputError({ args: value }).message).toBe(
      `Input args "${value}" sets -${letter}, which rump-cross sets itself. Use the src-path input for -s; the object (-o) and install (-d) folders are kept under RUNNER_TEMP so that socket paths stay short.`
    )
  })

  it.each([
    ['-V', 'V'],
    ['-q -F', 'F'],
    ['-qj', 'j']
  ])('args %j ends without a value', (value, letter) => {
    expect(inputError({ args: value }).message).toBe(
      `Input args "${value}" ends with -${letter}, which needs a value. Add it, for example "-${letter} VALUE".`
    )
  })

  it.each([
    ['-x', 'x'],
    ['-qx', 'x'],
    ['-h', 'h'],
    ['--verbose', '-']
  ])('args %j has unknown option -%s', (value, letter) => {
    expect(inputError({ args: value }).message).toBe(
      `Input args "${value}" contains the unknown buildrump.sh option -${letter}. Known options: -D -H -k -q -r and -d -j -o -s -T -V -F with a value.`
    )
  })

  it.each([
    ['fullbuild', 'fullbuild'],
    ['-q tests', 'tests'],
    ['-', '-']
  ])('args %j has the bare word %j', (value, word) => {
    expect(inputError({ args: value }).message).toBe(
      `Input args "${value}" contains "${word}", which is not a buildrump.sh option. Put buildrump.sh commands in the commands input and options such as "-V KEY=VALUE" or "-F CFLAGS=-O2" in args.`
    )
  })

  it('args shell syntax fails before getopts', () => {
    expect(inputError({ args: 'fullbuild; id' }).message).toContain(
      'contains the shell syntax ";"'
    )
  })
})

describe('readInputs jobs', () => {
  it('jobs empty is the number of cores', () => {
    expect(read().jobs).toBe(Math.max(1, os.availableParallelism()))
  })

  it.each([
    ['1', 1],
    ['8', 8],
    [' 16 ', 16],
    ['1024', 1024]
  ])('jobs %j is %d', (value, jobs) => {
    expect(read({ jobs: value }).jobs).toBe(jobs)
  })

  it.each(['0', 'abc', '1025', '-1', '1.5', '4x', '+4'])(
    'jobs %j is rejected',
    value => {
      expect(inputError({ jobs: value }).message).toBe(
        `Input jobs "${value}" is not a whole number from 1 to 1024. Leave it empty to use the number of cores.`
      )
    }
  )
})

describe('readInputs durations', () => {
  it('test-timeout defaults to 5m', () => {
    expect(read().testTimeoutMs).toBe(300_000)
  })

  it('timeout defaults to none', () => {
    expect(read().timeoutMs).toBe(0)
  })

  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['45', 45_000],
    ['1s', 1000],
    ['1.5m', 90_000],
    ['596h', 596 * 3_600_000]
  ])('test-timeout %j is %d ms', (value, ms) => {
    expect(read({ 'test-timeout': value }).testTimeoutMs).toBe(ms)
  })

  it.each([
    ['0', 0],
    ['90s', 90_000],
    ['2h', 7_200_000],
    ['600', 600_000]
  ])('timeout %j is %d ms', (value, ms) => {
    expect(read({ timeout: value }).timeoutMs).toBe(ms)
  })

  it.each([
    ['test-timeout', '5x'],
    ['test-timeout', '-5s'],
    ['test-timeout', '5d'],
    ['timeout', '5x'],
    ['timeout', '1e3'],
    ['timeout', 'never']
  ] as const)('%s %j is not a duration', (name, value) => {
    expect(inputError({ [name]: value }).message).toBe(
      `Input ${name} "${value}" is not a duration. Write a number with s, m or h, such as 90s, 5m or 2h.`
    )
  })

  it.each(['0', '0s', '0.5s', '0.999'])(
    'test-timeout %j is under one second',
    value => {
      expect(inputError({ 'test-timeout': value }).message).toBe(
        `Input test-timeout "${value}" is shorter than one second. Use at least 1s; the default is 5m.`
      )
    }
  )

  it.each([
    ['test-timeout', '597h'],
    ['timeout', '597h'],
    ['timeout', '2147484s']
  ] as const)('%s %j is longer than 24 days', (name, value) => {
    expect(inputError({ [name]: value }).message).toBe(
      `Input ${name} "${value}" is longer than 24 days. Use a shorter duration, such as 6h.`
    )
  })
})

describe('readInputs known-issues', () => {
  it('known-issues empty is an empty list', () => {
    expect(read().knownIssues).toEqual([])
  })

  it('known-issues parses one line per issue', () => {
    const issues = read({
      'known-issues': [
        '# expected on this arch',
        'fstest: hang',
        '',
        'VFS test: fail',
        'nettest_routed: hung',
        'init : crashed',
        'dynamic:FAILED',
        'simpleclient: crash'
      ].join('\n')
    }).knownIssues

    expect(issues).toEqual([
      { test: 'fstest', kind: 'hang' },
      { test: 'VFS test', kind: 'fail' },
      { test: 'nettest_routed', kind: 'hang' },
      { test: 'init', kind: 'crash' },
      { test: 'dynamic', kind: 'fail' },
      { test: 'simpleclient', kind: 'crash' }
    ])
  })

  it('known-issues accepts a title with dots', () => {
    const issues = read({
      'known-issues': 'Remote communication ...: hang'
    }).knownIssues

    expect(issues).toEqual([{ test: 'Remote communication ...', kind: 'hang' }])
  })

  it.each(['fstest hang', 'fstest: slow', ': hang', 'fstest:', 'fstest: 1'])(
    'known-issues malformed %j is rejected',
    line => {
      expect(inputError({ 'known-issues': line }).message).toBe(
        `Input known-issues "${line}" is not of the form "<test>: <hang|fail|crash>". Write one line per expected result, such as "nettest_routed: hang".`
      )
    }
  )

  it('known-issues unknown test is rejected', () => {
    expect(inputError({ 'known-issues': 'vfstest: hang' }).message).toBe(
      'Input known-issues "vfstest: hang" names the unknown test "vfstest". Use a test id (init, fstest, fstest_img, simpleclient, nettest_simple, nettest_simple6, nettest_routed, nettest_routed6, dynamic) or the title the suite prints.'
    )
  })

  it('known-issues names the bad line', () => {
    const error = inputError({ 'known-issues': 'fstest: hang\nfstest hang' })

    expect(error.message).toContain('Input known-issues "fstest hang"')
  })
})

describe('readInputs booleans', () => {
  const names = ['backtraces', 'cache', 'upload-logs'] as const
  const fields = {
    backtraces: 'backtraces',
    cache: 'cache',
    'upload-logs': 'uploadLogs'
  } as const

  it.each(names)('%s defaults to true', name => {
    expect(read()[fields[name]]).toBe(true)
  })

  it.each(
    names.flatMap(name =>
      (
        [
          ['true', true],
          ['True', true],
          ['TRUE', true],
          ['false', false],
          ['False', false],
          ['FALSE', false],
          [' false ', false]
        ] as const
      ).map(([value, expected]) => [name, value, expected] as const)
    )
  )('%s %j is %s', (name, value, expected) => {
    expect(read({ [name]: value })[fields[name]]).toBe(expected)
  })

  it.each(
    names.flatMap(name =>
      ['yes', 'no', '1', 'on', 'tRue'].map(value => [name, value] as const)
    )
  )('%s %j is rejected', (name, value) => {
    expect(inputError({ [name]: value }).message).toBe(
      `Input ${name} "${value}" is not a boolean. Use true or false.`
    )
  })
})
