import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import {
  archFolder,
  buildrumpArgs,
  buildrumpEnv,
  checkUserArgs,
  expandCommands,
  HOST_CFLAGS,
  MAX_OBJ_PATH,
  REJECTED_ENV,
  workFolders
} from '../src/buildrump/command.js'
import { UserError } from '../src/errors.js'
import { RUN_ID_VARIABLE } from '../src/watchdog/proc.js'

const DIRS = {
  src: '/work/project/src',
  obj: '/tmp/rump-cross/powerpc/obj',
  dest: '/tmp/rump-cross/powerpc/dest'
}

const TOOLS = {
  CC: '/opt/tc/bin/powerpc-linux-musl-gcc',
  AR: '/opt/tc/bin/powerpc-linux-musl-ar',
  NM: '/opt/tc/bin/powerpc-linux-musl-nm',
  OBJCOPY: '/opt/tc/bin/powerpc-linux-musl-objcopy'
}

const RECIPE = [
  '-F',
  'LDFLAGS=-static',
  '-V',
  'MKPIC=no',
  '-V',
  'NOGCCERROR=1',
  '-F',
  'CFLAGS=-fcommon',
  '-F',
  'CFLAGS=-Wno-error=implicit-function-declaration'
]

/** Returns the UserError that checking `args` throws. */
function argsError(args: string[]): UserError {
  try {
    checkUserArgs(args)
  } catch (error) {
    if (error instanceof UserError) return error
    throw error
  }
  throw new Error(`checkUserArgs accepted ${JSON.stringify(args)}`)
}

describe('expandCommands', () => {
  it('expandCommands expands fullbuild', () => {
    expect(expandCommands(['fullbuild'])).toEqual(['tools', 'build', 'install'])
  })

  it('expandCommands keeps tests after fullbuild', () => {
    expect(expandCommands(['fullbuild', 'tests'])).toEqual([
      'tools',
      'build',
      'install',
      'tests'
    ])
  })

  it('expandCommands removes duplicates', () => {
    expect(expandCommands(['tools', 'fullbuild', 'tests', 'tests'])).toEqual([
      'tools',
      'build',
      'install',
      'tests'
    ])
  })

  it('expandCommands removes repeated fullbuild', () => {
    expect(expandCommands(['fullbuild', 'fullbuild'])).toEqual([
      'tools',
      'build',
      'install'
    ])
  })

  it('expandCommands keeps other commands', () => {
    expect(expandCommands(['checkout', 'kernelheaders'])).toEqual([
      'checkout',
      'kernelheaders'
    ])
  })

  it('expandCommands follows the order of buildrump.sh', () => {
    expect(expandCommands(['tests', 'fullbuild', 'checkout'])).toEqual([
      'checkout',
      'tools',
      'build',
      'install',
      'tests'
    ])
  })

  it('expandCommands keeps probe alone', () => {
    expect(expandCommands(['probe'])).toEqual(['probe'])
  })

  it('expandCommands rejects probe with other commands', () => {
    expect(() => expandCommands(['probe', 'tools'])).toThrow(
      'Input commands "probe tools" combines probe with other commands, which buildrump.sh rejects. Run probe alone.'
    )
  })

  it('expandCommands of nothing is empty', () => {
    expect(expandCommands([])).toEqual([])
  })

  it('expandCommands does not change its input', () => {
    const commands = ['fullbuild', 'tests']

    expandCommands(commands)

    expect(commands).toEqual(['fullbuild', 'tests'])
  })
})

describe('checkUserArgs', () => {
  it.each([
    [[]],
    [['-q']],
    [['-qq']],
    [['-D', '-H', '-k', '-r']],
    [['-j4']],
    [['-j', '4']],
    [['-VKEY=VAL']],
    [['-V', 'KEY=VAL']],
    [['-F', 'CFLAGS=-O2 -g']],
    [['-qV', 'MKPIC=no']],
    [['-T', '/opt/tools']],
    [['-V', '-s']],
    [['-j', 'fullbuild']]
  ])('checkUserArgs accepts %j', args => {
    expect(() => checkUserArgs(args)).not.toThrow()
  })

  it.each([
    [['-s', '/src'], 's'],
    [['-o', '/obj'], 'o'],
    [['-d', '/dest'], 'd'],
    [['-d/dest'], 'd'],
    [['-kqs', '/src'], 's'],
    [['-V', 'A=1', '-o', '/obj'], 'o']
  ])('checkUserArgs %j rejects owned -%s', (args, letter) => {
    expect(argsError(args).message).toBe(
      `Input args "${args.join(' ')}" sets -${letter}, which rump-cross sets itself. Use the src-path input for -s; the object (-o) and install (-d) folders are kept under RUNNER_TEMP so that socket paths stay short.`
    )
  })

  it.each([
    [['-V'], 'V'],
    [['-F'], 'F'],
    [['-q', '-j'], 'j'],
    [['-kT'], 'T']
  ])('checkUserArgs %j misses the value of -%s', (args, letter) => {
    expect(argsError(args).message).toBe(
      `Input args "${args.join(' ')}" ends with -${letter}, which needs a value. Add it, for example "-${letter} VALUE".`
    )
  })

  it.each([
    [['-x'], 'x'],
    [['-qx'], 'x'],
    [['-h'], 'h'],
    [['-Q'], 'Q']
  ])('checkUserArgs %j rejects unknown -%s', (args, letter) => {
    expect(argsError(args).message).toBe(
      `Input args "${args.join(' ')}" contains the unknown buildrump.sh option -${letter}. Known options: -D -H -k -q -r and -d -j -o -s -T -V -F with a value.`
    )
  })

  it.each([
    [['fullbuild'], 'fullbuild'],
    [['-q', 'tests'], 'tests'],
    [['-j', '4', '8'], '8'],
    [['-'], '-'],
    [[''], '']
  ])('checkUserArgs %j rejects the word %j', (args, word) => {
    expect(argsError(args).message).toBe(
      `Input args "${args.join(' ')}" contains "${word}", which is not a buildrump.sh option. Put buildrump.sh commands in the commands input and options such as "-V KEY=VALUE" or "-F CFLAGS=-O2" in args.`
    )
  })
})

describe('buildrumpArgs', () => {
  it('buildrumpArgs without user args', () => {
    expect(buildrumpArgs(DIRS, 4, [], 'tools')).toEqual([
      '-s',
      DIRS.src,
      '-o',
      DIRS.obj,
      '-d',
      DIRS.dest,
      '-j',
      '4',
      '-qq',
      ...RECIPE,
      'tools'
    ])
  })

  it('buildrumpArgs puts user args after the recipe', () => {
    const user = ['-V', 'MKPIC=yes', '-F', 'CFLAGS=-O2']

    expect(buildrumpArgs(DIRS, 2, user, 'build')).toEqual([
      '-s',
      DIRS.src,
      '-o',
      DIRS.obj,
      '-d',
      DIRS.dest,
      '-j',
      '2',
      '-qq',
      ...RECIPE,
      '-V',
      'MKPIC=yes',
      '-F',
      'CFLAGS=-O2',
      'build'
    ])
  })

  it('buildrumpArgs puts the command last', () => {
    const args = buildrumpArgs(DIRS, 1, ['-k'], 'tests')

    expect(args.at(-1)).toBe('tests')
  })

  it('buildrumpArgs passes paths with spaces whole', () => {
    const dirs = { ...DIRS, src: '/work/my project/src' }

    expect(buildrumpArgs(dirs, 1, [], 'build')[1]).toBe('/work/my project/src')
  })
})

describe('buildrumpEnv', () => {
  it.each([{}, { PATH: '' }])(
    'buildrumpEnv without PATH puts only the toolchain on it',
    base => {
      expect(buildrumpEnv(base, {}, '/tc/bin', 'r1').env.PATH).toBe('/tc/bin')
    }
  )

  const base = {
    HOME: '/home/runner',
    PATH: '/usr/local/bin:/usr/bin',
    CFLAGS: '-O2',
    AFLAGS: '',
    LDFLAGS: '-static'
  }

  it('REJECTED_ENV lists the variables buildrump.sh rejects', () => {
    expect([...REJECTED_ENV]).toEqual(['CFLAGS', 'AFLAGS', 'LDFLAGS'])
  })

  it.each(['CFLAGS', 'AFLAGS', 'LDFLAGS'])('buildrumpEnv removes %s', name => {
    const { env } = buildrumpEnv(base, TOOLS, '/opt/tc/bin', 'run-1')

    expect(Object.hasOwn(env, name)).toBe(false)
  })

  it('buildrumpEnv reports non-empty removed variables', () => {
    const { removed } = buildrumpEnv(base, TOOLS, '/opt/tc/bin', 'run-1')

    expect(removed).toEqual(['CFLAGS', 'LDFLAGS'])
  })

  it('buildrumpEnv reports nothing for a clean env', () => {
    const { removed } = buildrumpEnv(
      { PATH: '/usr/bin' },
      TOOLS,
      '/opt/tc/bin',
      'run-1'
    )

    expect(removed).toEqual([])
  })

  it('buildrumpEnv keeps other variables', () => {
    const { env } = buildrumpEnv(base, TOOLS, '/opt/tc/bin', 'run-1')

    expect(env.HOME).toBe('/home/runner')
  })

  it('buildrumpEnv sets the recipe HOST_CFLAGS', () => {
    const { env } = buildrumpEnv(base, TOOLS, '/opt/tc/bin', 'run-1')

    expect(env.HOST_CFLAGS).toBe(
      '-O -fcommon -Wno-error=implicit-function-declaration'
    )
  })

  it('buildrumpEnv appends the user HOST_CFLAGS', () => {
    const { env } = buildrumpEnv(
      { ...base, HOST_CFLAGS: ' -g -pipe ' },
      TOOLS,
      '/opt/tc/bin',
      'run-1'
    )

    expect(env.HOST_CFLAGS).toBe(`${HOST_CFLAGS} -g -pipe`)
  })

  it('buildrumpEnv ignores a blank user HOST_CFLAGS', () => {
    const { env } = buildrumpEnv(
      { ...base, HOST_CFLAGS: '  ' },
      TOOLS,
      '/opt/tc/bin',
      'run-1'
    )

    expect(env.HOST_CFLAGS).toBe(HOST_CFLAGS)
  })

  it.each(Object.entries(TOOLS))('buildrumpEnv sets %s', (name, value) => {
    const { env } = buildrumpEnv(
      { ...base, [name]: 'gcc' },
      TOOLS,
      '/opt/tc/bin',
      'run-1'
    )

    expect(env[name]).toBe(value)
  })

  it('buildrumpEnv prepends the toolchain bin to PATH', () => {
    const { env } = buildrumpEnv(base, TOOLS, '/opt/tc/bin', 'run-1')

    expect(env.PATH).toBe('/opt/tc/bin:/usr/local/bin:/usr/bin')
  })

  it('buildrumpEnv sets the run id', () => {
    const { env } = buildrumpEnv(base, TOOLS, '/opt/tc/bin', 'run-42')

    expect(env.RUMP_CROSS_RUN_ID).toBe('run-42')
  })

  it('RUN_ID_VARIABLE is RUMP_CROSS_RUN_ID', () => {
    expect(RUN_ID_VARIABLE).toBe('RUMP_CROSS_RUN_ID')
  })

  it('buildrumpEnv replaces an inherited run id', () => {
    const { env } = buildrumpEnv(
      { ...base, RUMP_CROSS_RUN_ID: 'old' },
      TOOLS,
      '/opt/tc/bin',
      'run-2'
    )

    expect(env.RUMP_CROSS_RUN_ID).toBe('run-2')
  })

  it('buildrumpEnv does not change the base env', () => {
    const input = { ...base, HOST_CFLAGS: '-g' }
    const before = { ...input }

    buildrumpEnv(input, TOOLS, '/opt/tc/bin', 'run-1')

    expect(input).toEqual(before)
  })

  it('buildrumpEnv returns a new object', () => {
    const input = { ...base }

    expect(buildrumpEnv(input, TOOLS, '/opt/tc/bin', 'run-1').env).not.toBe(
      input
    )
  })
})

describe('archFolder and workFolders', () => {
  it('archFolder is under rump-cross', () => {
    expect(archFolder('/home/runner/work/_temp', 'armhf')).toBe(
      '/home/runner/work/_temp/rump-cross/armhf'
    )
  })

  it('workFolders puts obj and dest under the arch folder', () => {
    expect(workFolders('/tmp/rump-cross/mips', '/work/src')).toEqual({
      src: '/work/src',
      obj: '/tmp/rump-cross/mips/obj',
      dest: '/tmp/rump-cross/mips/dest'
    })
  })

  it('workFolders normalises a trailing slash', () => {
    expect(workFolders('/tmp/rump-cross/mips/', '/work/src').obj).toBe(
      '/tmp/rump-cross/mips/obj'
    )
  })

  it('workFolders obj for a runner temp fits MAX_OBJ_PATH', () => {
    const dirs = workFolders(
      archFolder('/home/runner/work/_temp', 'mips64el'),
      '/work/src'
    )

    expect(dirs.obj.length).toBeLessThanOrEqual(MAX_OBJ_PATH)
  })

  it('workFolders keeps a relative src as given', () => {
    expect(workFolders('/tmp/a', 'src').src).toBe('src')
  })

  it('archFolder joins with the platform separator', () => {
    expect(archFolder('/t', 'x86_64')).toBe(
      ['/t', 'rump-cross', 'x86_64'].join(path.sep)
    )
  })
})
