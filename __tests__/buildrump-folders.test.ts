import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import {
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  writeFile
} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  lockArchFolder,
  prepareBuildFolders,
  type ToolchainStamp
} from '../src/buildrump/folders.js'
import { UserError } from '../src/errors.js'
import { RecordingUi } from './fixtures/reports/helpers.js'

const STAMP_FILE = '.rump-cross-toolchain.json'

const STAMP: ToolchainStamp = {
  cc: '/opt/tc/bin/powerpc-linux-musl-gcc',
  gccVersion: '12.2.0',
  dumpMachine: 'powerpc-linux-musl',
  sha256: 'ab'.repeat(32)
}

let root: string

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rump-cross-folders-'))
})

afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

/** Returns the UserError that `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof UserError) return error
    throw error
  }
  throw new Error('the promise resolved')
}

/** Starts `sleep 30`, a process that stays alive during the test. */
function startSleeper(): ChildProcess {
  return spawn('sleep', ['30'], { stdio: 'ignore' })
}

/** Returns the pid of a process that has already exited. */
async function exitedPid(): Promise<number> {
  const child = spawn('true', [], { stdio: 'ignore' })
  await once(child, 'exit')
  if (child.pid === undefined) throw new Error('true did not start')
  return child.pid
}

describe('lockArchFolder', () => {
  it('lockArchFolder writes this pid', async () => {
    const archDir = path.join(root, 'powerpc')
    const release = await lockArchFolder(archDir)

    expect(await readFile(path.join(archDir, 'run.lock'), 'utf8')).toBe(
      `${process.pid}\n`
    )

    await release()
  })

  it('lockArchFolder creates missing folders', async () => {
    const archDir = path.join(root, 'a', 'b', 'powerpc')
    const release = await lockArchFolder(archDir)

    expect(existsSync(archDir)).toBe(true)

    await release()
  })

  it('lockArchFolder release removes the lock', async () => {
    const archDir = path.join(root, 'powerpc')
    const release = await lockArchFolder(archDir)

    await release()

    expect(existsSync(path.join(archDir, 'run.lock'))).toBe(false)
  })

  it('lockArchFolder release keeps the folder', async () => {
    const archDir = path.join(root, 'powerpc')
    const release = await lockArchFolder(archDir)

    await release()

    expect(existsSync(archDir)).toBe(true)
  })

  it('lockArchFolder locks again after release', async () => {
    const archDir = path.join(root, 'powerpc')
    await (
      await lockArchFolder(archDir)
    )()

    const release = await lockArchFolder(archDir)

    expect(existsSync(path.join(archDir, 'run.lock'))).toBe(true)

    await release()
  })

  it('lockArchFolder second lock in one process fails', async () => {
    const archDir = path.join(root, 'powerpc')
    const release = await lockArchFolder(archDir)

    const error = await rejection(lockArchFolder(archDir))

    expect(error.message).toBe(
      `Another rump-cross run (pid ${process.pid}) is using the work folder ${archDir}. Wait for it to end, or give this run another RUNNER_TEMP.`
    )

    await release()
  })

  it('lockArchFolder rejects a live owner', async () => {
    const archDir = path.join(root, 'powerpc')
    await mkdir(archDir)
    const sleeper = startSleeper()
    try {
      await writeFile(path.join(archDir, 'run.lock'), `${sleeper.pid}\n`)

      const error = await rejection(lockArchFolder(archDir))

      expect(error.message).toBe(
        `Another rump-cross run (pid ${sleeper.pid}) is using the work folder ${archDir}. Wait for it to end, or give this run another RUNNER_TEMP.`
      )
    } finally {
      sleeper.kill()
    }
  })

  it('lockArchFolder leaves a live owner its lock', async () => {
    const archDir = path.join(root, 'powerpc')
    await mkdir(archDir)
    const lock = path.join(archDir, 'run.lock')
    const sleeper = startSleeper()
    try {
      await writeFile(lock, `${sleeper.pid}\n`)

      await rejection(lockArchFolder(archDir))

      expect(await readFile(lock, 'utf8')).toBe(`${sleeper.pid}\n`)
    } finally {
      sleeper.kill()
    }
  })

  it('lockArchFolder takes over an ended owner', async () => {
    const archDir = path.join(root, 'powerpc')
    await mkdir(archDir)
    const lock = path.join(archDir, 'run.lock')
    await writeFile(lock, `${await exitedPid()}\n`)

    const release = await lockArchFolder(archDir)

    expect(await readFile(lock, 'utf8')).toBe(`${process.pid}\n`)

    await release()
  })

  it.each(['', 'not a pid\n', '0\n', '-1\n', '12.5\n'])(
    'lockArchFolder takes over lock content %j',
    async content => {
      const archDir = path.join(root, 'powerpc')
      await mkdir(archDir)
      const lock = path.join(archDir, 'run.lock')
      await writeFile(lock, content)

      const release = await lockArchFolder(archDir)

      expect(await readFile(lock, 'utf8')).toBe(`${process.pid}\n`)

      await release()
    }
  )

  it('lockArchFolder under a file fails', async () => {
    const file = path.join(root, 'plain-file')
    await writeFile(file, '')
    const archDir = path.join(file, 'powerpc')

    const error = await rejection(lockArchFolder(archDir))

    expect(error.message).toMatch(
      new RegExp(
        `^Creating the work folder ${archDir} failed: .*ENOTDIR.*\\. Set RUNNER_TEMP to a writable folder\\.$`
      )
    )
  })
})

describe('prepareBuildFolders', () => {
  function dirsIn(archDir: string): {
    src: string
    obj: string
    dest: string
  } {
    return {
      src: path.join(root, 'src'),
      obj: path.join(archDir, 'obj'),
      dest: path.join(archDir, 'dest')
    }
  }

  function infoLines(ui: RecordingUi): string[] {
    return ui.of('info').map(call => call.message)
  }

  it('prepareBuildFolders first run creates obj', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))

    await prepareBuildFolders(dirs, STAMP, new RecordingUi())

    expect(existsSync(dirs.obj)).toBe(true)
  })

  it('prepareBuildFolders first run creates dest', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))

    await prepareBuildFolders(dirs, STAMP, new RecordingUi())

    expect(existsSync(dirs.dest)).toBe(true)
  })

  it('prepareBuildFolders first run writes the stamp', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))

    await prepareBuildFolders(dirs, STAMP, new RecordingUi())

    const written = await readFile(path.join(dirs.obj, STAMP_FILE), 'utf8')
    expect(JSON.parse(written)).toEqual(STAMP)
  })

  it('prepareBuildFolders first run prints nothing', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))
    const ui = new RecordingUi()

    await prepareBuildFolders(dirs, STAMP, ui)

    expect(ui.calls).toEqual([])
  })

  it('prepareBuildFolders never touches src', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))
    await mkdir(dirs.src)
    await writeFile(path.join(dirs.src, 'Makefile'), 'all:\n')

    await prepareBuildFolders(dirs, STAMP, new RecordingUi())
    await prepareBuildFolders(dirs, { cc: 'other' }, new RecordingUi())

    expect(await readdir(dirs.src)).toEqual(['Makefile'])
  })

  it('prepareBuildFolders same stamp keeps obj files', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))
    await prepareBuildFolders(dirs, STAMP, new RecordingUi())
    await writeFile(path.join(dirs.obj, 'built.o'), 'object')

    await prepareBuildFolders(dirs, { ...STAMP }, new RecordingUi())

    expect(existsSync(path.join(dirs.obj, 'built.o'))).toBe(true)
  })

  it('prepareBuildFolders same stamp keeps dest files', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))
    await prepareBuildFolders(dirs, STAMP, new RecordingUi())
    await writeFile(path.join(dirs.dest, 'librump.a'), 'archive')

    await prepareBuildFolders(dirs, STAMP, new RecordingUi())

    expect(existsSync(path.join(dirs.dest, 'librump.a'))).toBe(true)
  })

  it('prepareBuildFolders same stamp says it reuses', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))
    await prepareBuildFolders(dirs, STAMP, new RecordingUi())
    const ui = new RecordingUi()

    await prepareBuildFolders(dirs, STAMP, ui)

    expect(infoLines(ui)).toEqual([
      `Reusing the objects of an earlier run in ${dirs.obj}; delete that folder for a clean build`
    ])
  })

  it.each([
    ['cc', { ...STAMP, cc: '/opt/other/bin/powerpc-linux-musl-gcc' }],
    ['gccVersion', { ...STAMP, gccVersion: '15.2.0' }],
    ['dumpMachine', { ...STAMP, dumpMachine: 'powerpc-linux-gnu' }],
    ['sha256', { ...STAMP, sha256: 'cd'.repeat(32) }],
    ['missing sha256', { ...STAMP, sha256: undefined }]
  ])('prepareBuildFolders other %s empties obj', async (_field, otherStamp) => {
    const dirs = dirsIn(path.join(root, 'powerpc'))
    await prepareBuildFolders(dirs, STAMP, new RecordingUi())
    await writeFile(path.join(dirs.obj, 'built.o'), 'object')

    await prepareBuildFolders(dirs, otherStamp, new RecordingUi())

    expect(await readdir(dirs.obj)).toEqual([STAMP_FILE])
  })

  it('prepareBuildFolders other stamp empties dest', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))
    await prepareBuildFolders(dirs, STAMP, new RecordingUi())
    await mkdir(path.join(dirs.dest, 'lib'))
    await writeFile(path.join(dirs.dest, 'lib', 'librump.a'), 'archive')

    await prepareBuildFolders(dirs, { cc: 'other-gcc' }, new RecordingUi())

    expect(await readdir(dirs.dest)).toEqual([])
  })

  it('prepareBuildFolders other stamp replaces the stamp', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))
    await prepareBuildFolders(dirs, STAMP, new RecordingUi())

    await prepareBuildFolders(dirs, { cc: 'other-gcc' }, new RecordingUi())

    const written = await readFile(path.join(dirs.obj, STAMP_FILE), 'utf8')
    expect(JSON.parse(written)).toEqual({ cc: 'other-gcc' })
  })

  it('prepareBuildFolders other stamp says it starts clean', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))
    await prepareBuildFolders(dirs, STAMP, new RecordingUi())
    const ui = new RecordingUi()

    await prepareBuildFolders(dirs, { cc: 'other-gcc' }, ui)

    expect(infoLines(ui)).toEqual([
      `The objects in ${dirs.obj} were built with another toolchain; starting clean`
    ])
  })

  it('prepareBuildFolders unstamped obj is emptied', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))
    await mkdir(dirs.obj, { recursive: true })
    await writeFile(path.join(dirs.obj, 'stray.o'), 'object')

    await prepareBuildFolders(dirs, STAMP, new RecordingUi())

    expect(await readdir(dirs.obj)).toEqual([STAMP_FILE])
  })

  it('prepareBuildFolders corrupt stamp starts clean', async () => {
    const dirs = dirsIn(path.join(root, 'powerpc'))
    await mkdir(dirs.obj, { recursive: true })
    await writeFile(path.join(dirs.obj, STAMP_FILE), '{not json')
    await writeFile(path.join(dirs.obj, 'built.o'), 'object')

    await prepareBuildFolders(dirs, STAMP, new RecordingUi())

    expect(await readdir(dirs.obj)).toEqual([STAMP_FILE])
  })
})
