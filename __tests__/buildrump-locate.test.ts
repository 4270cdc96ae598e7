// Each test gives locateBuildrump a buildrump.sh, in buildrump-path or in the
// clone folder, or a path that it rejects first, so no test clones upstream.
// GIT_ALLOW_PROTOCOL=file makes a clone that starts anyway fail without
// reaching the network.
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it
} from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { locateBuildrump } from '../src/buildrump/locate.js'
import { UserError } from '../src/errors.js'
import { RecordingUi } from './fixtures/reports/helpers.js'

const REF = '6cccd464a9675ce19eaca569b1c9c2837492038c'

let root: string
let savedProtocols: string | undefined

beforeAll(() => {
  savedProtocols = process.env.GIT_ALLOW_PROTOCOL
  process.env.GIT_ALLOW_PROTOCOL = 'file'
})

afterAll(() => {
  if (savedProtocols === undefined) delete process.env.GIT_ALLOW_PROTOCOL
  else process.env.GIT_ALLOW_PROTOCOL = savedProtocols
})

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rump-cross-locate-'))
})

afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

/** Creates `folder` with a buildrump.sh, and src/sys when `withSources`. */
async function makeCheckout(
  folder: string,
  withSources: boolean
): Promise<void> {
  await mkdir(folder, { recursive: true })
  await writeFile(path.join(folder, 'buildrump.sh'), '#!/bin/sh\nexit 0\n', {
    mode: 0o755
  })
  if (withSources)
    await mkdir(path.join(folder, 'src', 'sys'), { recursive: true })
}

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

function infoLines(ui: RecordingUi): string[] {
  return ui.of('info').map(call => call.message)
}

describe('locateBuildrump', () => {
  it('locateBuildrump with sources needs no checkout', async () => {
    const folder = path.join(root, 'buildrump.sh')
    await makeCheckout(folder, true)

    const source = await locateBuildrump(
      {
        buildrumpPath: folder,
        buildrumpRef: REF,
        cloneFolder: path.join(root, 'clone')
      },
      new RecordingUi()
    )

    expect(source).toEqual({
      script: path.join(folder, 'buildrump.sh'),
      srcPath: path.join(folder, 'src'),
      clonedRef: undefined,
      needsCheckout: false
    })
  })

  it('locateBuildrump with sources logs both paths', async () => {
    const folder = path.join(root, 'buildrump.sh')
    await makeCheckout(folder, true)
    const ui = new RecordingUi()

    await locateBuildrump(
      {
        buildrumpPath: folder,
        buildrumpRef: REF,
        cloneFolder: path.join(root, 'clone')
      },
      ui
    )

    expect(infoLines(ui)).toEqual([
      `buildrump.sh: ${path.join(folder, 'buildrump.sh')}`,
      `NetBSD sources: ${path.join(folder, 'src')}`
    ])
  })

  it('locateBuildrump leaves the clone folder alone', async () => {
    const folder = path.join(root, 'buildrump.sh')
    await makeCheckout(folder, true)
    const cloneFolder = path.join(root, 'clone')

    await locateBuildrump(
      { buildrumpPath: folder, buildrumpRef: REF, cloneFolder },
      new RecordingUi()
    )

    expect(existsSync(cloneFolder)).toBe(false)
  })

  it('locateBuildrump without src/sys needs checkout', async () => {
    const folder = path.join(root, 'buildrump.sh')
    await makeCheckout(folder, false)
    await mkdir(path.join(folder, 'src'))

    const source = await locateBuildrump(
      {
        buildrumpPath: folder,
        buildrumpRef: REF,
        cloneFolder: path.join(root, 'clone')
      },
      new RecordingUi()
    )

    expect(source.needsCheckout).toBe(true)
  })

  it('locateBuildrump without sources says checkout runs', async () => {
    const folder = path.join(root, 'buildrump.sh')
    await makeCheckout(folder, false)
    const ui = new RecordingUi()

    await locateBuildrump(
      {
        buildrumpPath: folder,
        buildrumpRef: REF,
        cloneFolder: path.join(root, 'clone')
      },
      ui
    )

    expect(infoLines(ui)).toContain(
      `NetBSD sources: ${path.join(folder, 'src')} has none, so "buildrump.sh checkout" fetches them first`
    )
  })

  it('locateBuildrump uses an explicit srcPath', async () => {
    const folder = path.join(root, 'buildrump.sh')
    await makeCheckout(folder, false)
    const srcPath = path.join(root, 'netbsd-src')
    await mkdir(path.join(srcPath, 'sys'), { recursive: true })

    const source = await locateBuildrump(
      {
        buildrumpPath: folder,
        buildrumpRef: REF,
        srcPath,
        cloneFolder: path.join(root, 'clone')
      },
      new RecordingUi()
    )

    expect(source.srcPath).toBe(srcPath)
  })

  it('locateBuildrump explicit srcPath with sys', async () => {
    const folder = path.join(root, 'buildrump.sh')
    await makeCheckout(folder, false)
    const srcPath = path.join(root, 'netbsd-src')
    await mkdir(path.join(srcPath, 'sys'), { recursive: true })

    const source = await locateBuildrump(
      {
        buildrumpPath: folder,
        buildrumpRef: REF,
        srcPath,
        cloneFolder: path.join(root, 'clone')
      },
      new RecordingUi()
    )

    expect(source.needsCheckout).toBe(false)
  })

  it('locateBuildrump explicit srcPath without sys', async () => {
    const folder = path.join(root, 'buildrump.sh')
    await makeCheckout(folder, true)
    const srcPath = path.join(root, 'empty-src')

    const source = await locateBuildrump(
      {
        buildrumpPath: folder,
        buildrumpRef: REF,
        srcPath,
        cloneFolder: path.join(root, 'clone')
      },
      new RecordingUi()
    )

    expect(source.needsCheckout).toBe(true)
  })

  it('locateBuildrump reuses an earlier clone', async () => {
    const workspace = path.join(root, 'workspace')
    await mkdir(workspace)
    const cloneFolder = path.join(root, 'clone')
    await makeCheckout(cloneFolder, true)

    const source = await locateBuildrump(
      { buildrumpPath: workspace, buildrumpRef: REF, cloneFolder },
      new RecordingUi()
    )

    expect(source).toEqual({
      script: path.join(cloneFolder, 'buildrump.sh'),
      srcPath: path.join(cloneFolder, 'src'),
      clonedRef: REF,
      needsCheckout: false
    })
  })

  it('locateBuildrump says it reuses the clone', async () => {
    const workspace = path.join(root, 'workspace')
    await mkdir(workspace)
    const cloneFolder = path.join(root, 'clone')
    await makeCheckout(cloneFolder, true)
    const ui = new RecordingUi()

    await locateBuildrump(
      { buildrumpPath: workspace, buildrumpRef: REF, cloneFolder },
      ui
    )

    expect(infoLines(ui).slice(0, 2)).toEqual([
      `No buildrump.sh in ${workspace}`,
      `Using the clone from an earlier run in ${cloneFolder}`
    ])
  })

  it('locateBuildrump on a file fails', async () => {
    const file = path.join(root, 'buildrump.sh')
    await writeFile(file, '#!/bin/sh\n')

    const error = await rejection(
      locateBuildrump(
        {
          buildrumpPath: file,
          buildrumpRef: REF,
          cloneFolder: path.join(root, 'clone')
        },
        new RecordingUi()
      )
    )

    expect(error.message).toBe(
      `buildrump-path "${file}" is not a folder. Set it to the folder that contains buildrump.sh, or leave it at its default (the workspace) to clone upstream when the workspace has none.`
    )
  })

  it('locateBuildrump on a missing folder fails', async () => {
    const missing = path.join(root, 'missing')

    const error = await rejection(
      locateBuildrump(
        {
          buildrumpPath: missing,
          buildrumpRef: REF,
          cloneFolder: path.join(root, 'clone')
        },
        new RecordingUi()
      )
    )

    expect(error.message).toBe(
      `buildrump-path "${missing}" is not a folder. Set it to the folder that contains buildrump.sh, or leave it at its default (the workspace) to clone upstream when the workspace has none.`
    )
  })

  it('locateBuildrump bad path creates no clone', async () => {
    const cloneFolder = path.join(root, 'clone')

    await rejection(
      locateBuildrump(
        {
          buildrumpPath: path.join(root, 'missing'),
          buildrumpRef: REF,
          cloneFolder
        },
        new RecordingUi()
      )
    )

    expect(existsSync(cloneFolder)).toBe(false)
  })
})
