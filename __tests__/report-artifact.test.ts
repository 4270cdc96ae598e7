import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { UserError } from '../src/errors.js'
import {
  type ArtifactInfo,
  type ArtifactService,
  GitHubArtifactService,
  downloadRunArtifacts,
  isCoreFile,
  uploadRunArtifact
} from '../src/report/artifact.js'
import { RecordingUi } from './fixtures/reports/helpers.js'

/** An artifact service in memory that records uploads and downloads. */
class FakeArtifactService implements ArtifactService {
  readonly uploads: Array<{ name: string; files: string[]; rootDir: string }> =
    []
  readonly downloads: Array<{ id: number; dir: string }> = []
  failUpload?: Error
  failDownloadId?: number

  constructor(
    private readonly available = true,
    private readonly artifacts: ArtifactInfo[] = []
  ) {}

  isAvailable(): boolean {
    return this.available
  }
  async upload(name: string, files: readonly string[], rootDir: string) {
    if (this.failUpload) throw this.failUpload
    this.uploads.push({ name, files: [...files], rootDir })
    return { id: 42, size: 3 * 1024 * 1024 }
  }
  async list(): Promise<ArtifactInfo[]> {
    return this.artifacts
  }
  async download(id: number, dir: string): Promise<string> {
    if (id === this.failDownloadId) throw new Error('blob storage returned 503')
    this.downloads.push({ id, dir })
    return dir
  }
}

let root: string
let log: string
let report: string
const cores: Record<string, string> = {}
const MB = 1024 * 1024

async function sizedFile(name: string, bytes: number): Promise<string> {
  const file = path.join(root, name)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, Buffer.alloc(bytes))
  return file
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'report-artifact-'))
  log = await sizedFile('build.log', 1000)
  report = await sizedFile('report.json', 100)
  cores.small = await sizedFile('obj/qemu_init_20260301-101502_11.core', 1 * MB)
  cores.medium = await sizedFile(
    'obj/qemu_fstest_20260301-101503_12.core',
    3 * MB
  )
  cores.big = await sizedFile(
    'obj/qemu_fstest2_20260301-101504_13.core',
    5 * MB
  )
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('isCoreFile', () => {
  it.each([
    ['obj/qemu_nettest_routed_20260301-101502_4242.core', true],
    ['core', true],
    ['core.4242', true],
    ['build.log', false],
    ['score.txt', false],
    ['corefile.c', false]
  ])('%s is %s', (file, expected) => {
    expect(isCoreFile(file)).toBe(expected)
  })
})

describe('uploadRunArtifact', () => {
  it('uploads every existing file', async () => {
    const service = new FakeArtifactService()
    const ui = new RecordingUi()
    const result = await uploadRunArtifact(
      'rump-cross-powerpc',
      [log, report],
      root,
      ui,
      service
    )

    expect(result.uploaded).toBe(true)
    expect(result.id).toBe(42)
    expect(service.uploads[0]).toEqual({
      name: 'rump-cross-powerpc',
      files: [log, report],
      rootDir: root
    })
  })

  it('skips a missing file', async () => {
    const service = new FakeArtifactService()
    const missing = path.join(root, 'absent.log')
    await uploadRunArtifact(
      'a',
      [log, missing],
      root,
      new RecordingUi(),
      service
    )

    expect(service.uploads[0].files).toEqual([log])
  })

  it('drops the biggest cores over the cap', async () => {
    const service = new FakeArtifactService()
    const files = [log, cores.small, cores.medium, cores.big]
    const result = await uploadRunArtifact(
      'a',
      files,
      root,
      new RecordingUi(),
      service,
      {
        maxCoreBytes: 4 * MB
      }
    )

    expect(result.droppedCores).toEqual([cores.big])
    expect(service.uploads[0].files).toEqual([log, cores.small, cores.medium])
  })

  it('drops cores until the rest fit', async () => {
    const service = new FakeArtifactService()
    const files = [cores.small, cores.medium, cores.big]
    const result = await uploadRunArtifact(
      'a',
      files,
      root,
      new RecordingUi(),
      service,
      {
        maxCoreBytes: 2 * MB
      }
    )

    expect(result.droppedCores).toEqual([cores.big, cores.medium])
  })

  it('warns about dropped cores', async () => {
    const ui = new RecordingUi()
    const files = [cores.small, cores.big]
    await uploadRunArtifact(
      'rump-cross-mips',
      files,
      root,
      ui,
      new FakeArtifactService(),
      {
        maxCoreBytes: 2 * MB
      }
    )
    const warning = ui.of('warning')[0].message

    expect(warning).toContain('rump-cross-mips')
    expect(warning).toContain('qemu_fstest2_20260301-101504_13.core (5.0 MB)')
  })

  it('keeps cores under the default cap', async () => {
    const service = new FakeArtifactService()
    const files = [cores.small, cores.medium, cores.big]
    const result = await uploadRunArtifact(
      'a',
      files,
      root,
      new RecordingUi(),
      service
    )

    expect(result.droppedCores).toEqual([])
  })

  it('lists the files outside GitHub', async () => {
    const service = new FakeArtifactService(false)
    const ui = new RecordingUi()
    const result = await uploadRunArtifact(
      'a',
      [log, report],
      root,
      ui,
      service
    )
    const info = ui.of('info').map(call => call.message)

    expect(result.uploaded).toBe(false)
    expect(service.uploads).toEqual([])
    expect(info[0]).toContain(`Its files are in ${root}:`)
    expect(info.slice(1)).toEqual([`  ${log}`, `  ${report}`])
  })

  it('warns instead of throwing on failure', async () => {
    const service = new FakeArtifactService()
    service.failUpload = new Error('Artifact storage quota has been hit')
    const ui = new RecordingUi()
    const result = await uploadRunArtifact('a', [log], root, ui, service)

    expect(result.uploaded).toBe(false)
    expect(ui.of('warning')[0].message).toBe(
      'Upload of the artifact a failed: Artifact storage quota has been hit'
    )
  })
})

describe('downloadRunArtifacts', () => {
  const artifacts: ArtifactInfo[] = [
    { id: 1, name: 'rump-cross-powerpc', size: 1000 },
    { id: 2, name: 'coverage', size: 1000 },
    { id: 3, name: 'rump-cross-mips', size: 1000 },
    { id: 4, name: 'rump-cross-..', size: 1000 }
  ]

  it('downloads only rump-cross artifacts', async () => {
    const service = new FakeArtifactService(true, artifacts)
    await downloadRunArtifacts('/tmp/reports', new RecordingUi(), service)

    expect(service.downloads.map(d => d.id)).toEqual([1, 3, 4])
  })

  it('gives each artifact its own folder', async () => {
    const service = new FakeArtifactService(true, artifacts)
    const folders = await downloadRunArtifacts(
      '/tmp/reports',
      new RecordingUi(),
      service
    )

    expect(folders).toEqual([
      '/tmp/reports/rump-cross-powerpc',
      '/tmp/reports/rump-cross-mips',
      '/tmp/reports/rump-cross-..'
    ])
  })

  it('keeps every folder inside the target', async () => {
    const service = new FakeArtifactService(true, [
      { id: 9, name: 'rump-cross-/../../etc', size: 1 }
    ])
    const [folder] = await downloadRunArtifacts(
      '/tmp/reports',
      new RecordingUi(),
      service
    )

    expect(path.dirname(folder)).toBe('/tmp/reports')
  })

  it('skips a failed download', async () => {
    const service = new FakeArtifactService(true, artifacts)
    service.failDownloadId = 1
    const ui = new RecordingUi()
    const folders = await downloadRunArtifacts('/tmp/reports', ui, service)

    expect(folders).toHaveLength(2)
    expect(ui.of('warning')[0].message).toContain(
      'Download of the artifact rump-cross-powerpc failed: blob storage returned 503'
    )
  })

  it('rejects an unavailable service', async () => {
    const service = new FakeArtifactService(false)

    await expect(
      downloadRunArtifacts('/tmp/reports', new RecordingUi(), service)
    ).rejects.toThrow(UserError)
  })
})

describe('GitHubArtifactService', () => {
  it.each([
    [
      {
        ACTIONS_RUNTIME_TOKEN: 't',
        ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/'
      },
      true
    ],
    [{ ACTIONS_RUNTIME_TOKEN: 't' }, false],
    [{ ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/' }, false],
    [{}, false]
  ])('availability with %j is %s', (env, expected) => {
    expect(new GitHubArtifactService(env).isAvailable()).toBe(expected)
  })

  it('lists artifacts from a loopback results service', async () => {
    const requests: string[] = []
    const server = createServer((request, response) => {
      requests.push(request.url ?? '')
      response.setHeader('content-type', 'application/json')
      response.end(
        JSON.stringify({
          artifacts: [
            {
              workflowRunBackendId: 'run',
              databaseId: '7',
              name: 'rump-cross-armhf',
              size: '2048'
            }
          ]
        })
      )
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    // The toolkit reads the backend ids from the token's scp claim.
    const claims = Buffer.from(
      JSON.stringify({ scp: 'Actions.Results:run:job' })
    ).toString('base64url')
    const saved = { ...process.env }
    process.env.ACTIONS_RUNTIME_TOKEN = `e30.${claims}.sig`
    process.env.ACTIONS_RESULTS_URL = `http://127.0.0.1:${port}/`
    try {
      const artifacts = await new GitHubArtifactService().list()

      expect(artifacts).toEqual([
        { id: 7, name: 'rump-cross-armhf', size: 2048 }
      ])
      expect(requests).toEqual([
        '/twirp/github.actions.results.api.v1.ArtifactService/ListArtifacts'
      ])
    } finally {
      process.env = saved
      await new Promise(resolve => server.close(resolve))
    }
  })
})
