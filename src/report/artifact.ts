// Uploading a run's logs, report and guest cores, and downloading the reports
// of every matrix job, through a seam over the GitHub artifact service. The
// service exists only inside a GitHub Actions job, so tests use a fake.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { UserError, errorMessage } from '../errors.js'
import type { Ui } from '../ui.js'

export interface ArtifactInfo {
  readonly id: number
  readonly name: string
  /** Size of the zipped artifact in bytes. */
  readonly size: number
}

export interface UploadResponse {
  readonly id?: number
  readonly size?: number
}

export interface ArtifactService {
  /** Whether the service can be reached from this process. */
  isAvailable(): boolean
  /** Uploads files, stored by their path relative to rootDir. */
  upload(
    name: string,
    files: readonly string[],
    rootDir: string
  ): Promise<UploadResponse>
  /** Lists the artifacts of the current workflow run, the latest per name. */
  list(): Promise<ArtifactInfo[]>
  /** Downloads and unzips one artifact into dir; returns the folder used. */
  download(id: number, dir: string): Promise<string>
}

/** The artifact service of GitHub Actions, through @actions/artifact. */
export class GitHubArtifactService implements ArtifactService {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  isAvailable(): boolean {
    // The toolkit reads both variables; the runner sets them in every job.
    return Boolean(
      this.env.ACTIONS_RUNTIME_TOKEN && this.env.ACTIONS_RESULTS_URL
    )
  }

  // Loaded on first use, so the CLI and the tests never load the toolkit's
  // Azure and Twirp dependencies.
  private async client() {
    const { DefaultArtifactClient } = await import('@actions/artifact')
    return new DefaultArtifactClient()
  }

  async upload(
    name: string,
    files: readonly string[],
    rootDir: string
  ): Promise<UploadResponse> {
    const client = await this.client()
    const response = await client.uploadArtifact(name, [...files], rootDir)
    return { id: response.id, size: response.size }
  }

  async list(): Promise<ArtifactInfo[]> {
    const client = await this.client()
    const response = await client.listArtifacts({ latest: true })
    return response.artifacts.map(({ id, name, size }) => ({ id, name, size }))
  }

  async download(id: number, dir: string): Promise<string> {
    const client = await this.client()
    const response = await client.downloadArtifact(id, { path: dir })
    return response.downloadPath ?? dir
  }
}

/** Total size of the guest cores one artifact may hold. */
export const MAX_CORE_BYTES = 200 * 1024 * 1024

// qemu names guest cores `qemu_<prog>_<date>-<time>_<pid>.core`; the kernel
// names its own `core` or `core.<pid>`.
const CORE_FILE = /(\.core|^core(\.\d+)?)$/

export function isCoreFile(file: string): boolean {
  return CORE_FILE.test(path.basename(file))
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

export interface UploadOptions {
  /** Maximum total size of guest cores; defaults to MAX_CORE_BYTES. */
  readonly maxCoreBytes?: number
}

export interface UploadResult {
  readonly uploaded: boolean
  readonly id?: number
  readonly size?: number
  /** Guest cores left out because all cores together were too large. */
  readonly droppedCores: string[]
}

interface SizedFile {
  readonly file: string
  readonly size: number
}

async function existingFiles(
  files: readonly string[],
  ui: Ui
): Promise<SizedFile[]> {
  const sized: SizedFile[] = []
  for (const file of files) {
    try {
      const info = await stat(file)
      if (info.isFile()) sized.push({ file, size: info.size })
    } catch {
      ui.debug(`Not uploading ${file}: the file does not exist.`)
    }
  }
  return sized
}

/** Drops the biggest cores until the rest fit in maxBytes. */
function capCores(
  files: readonly SizedFile[],
  maxBytes: number
): { kept: SizedFile[]; dropped: SizedFile[] } {
  const cores = files.filter(f => isCoreFile(f.file))
  let total = cores.reduce((sum, f) => sum + f.size, 0)
  const dropped: SizedFile[] = []
  for (const core of [...cores].sort((a, b) => b.size - a.size)) {
    if (total <= maxBytes) break
    dropped.push(core)
    total -= core.size
  }
  return { kept: files.filter(f => !dropped.includes(f)), dropped }
}

/**
 * Uploads the files of one run as the artifact `name`. Files that do not
 * exist are skipped. When the guest cores together exceed the cap, the
 * biggest are left out and a warning lists them. Outside GitHub Actions
 * nothing is uploaded, and the log lists where the files are instead.
 *
 * A failed upload is reported as a warning instead of thrown, because the
 * test results of the run matter more than its artifact.
 */
export async function uploadRunArtifact(
  name: string,
  files: readonly string[],
  rootDir: string,
  ui: Ui,
  service: ArtifactService,
  options: UploadOptions = {}
): Promise<UploadResult> {
  const present = await existingFiles(files, ui)
  if (!service.isAvailable()) {
    ui.info(
      `The artifact service is available only in GitHub Actions, so ${name} was not uploaded. Its files are in ${rootDir}:`
    )
    for (const { file } of present) ui.info(`  ${file}`)
    return { uploaded: false, droppedCores: [] }
  }

  const maxCoreBytes = options.maxCoreBytes ?? MAX_CORE_BYTES
  const { kept, dropped } = capCores(present, maxCoreBytes)
  if (dropped.length > 0) {
    const list = dropped
      .map(f => `${path.basename(f.file)} (${megabytes(f.size)})`)
      .join(', ')
    ui.warning(
      `Left ${dropped.length} guest cores out of the artifact ${name} because all cores together exceed ${megabytes(maxCoreBytes)}: ${list}. Their backtraces are still in the report.`
    )
  }
  const droppedCores = dropped.map(f => f.file)
  if (kept.length === 0) {
    ui.info(`No files to upload for the artifact ${name}.`)
    return { uploaded: false, droppedCores }
  }

  try {
    const response = await service.upload(
      name,
      kept.map(f => f.file),
      rootDir
    )
    const size =
      response.size === undefined ? '' : `, ${megabytes(response.size)}`
    ui.info(`Uploaded ${kept.length} files as the artifact ${name}${size}.`)
    return { uploaded: true, ...response, droppedCores }
  } catch (error) {
    ui.warning(`Upload of the artifact ${name} failed: ${errorMessage(error)}`)
    return { uploaded: false, droppedCores }
  }
}

/** Prefix of the artifacts that rump-cross runs upload. */
export const RUN_ARTIFACT_PREFIX = 'rump-cross-'

/**
 * Downloads every artifact of the current workflow run whose name starts
 * with prefix, each into its own folder under dir. Returns those folders.
 * An artifact that fails to download is reported as a warning and skipped.
 * Throws a UserError when the artifact service is not available.
 */
export async function downloadRunArtifacts(
  dir: string,
  ui: Ui,
  service: ArtifactService,
  prefix = RUN_ARTIFACT_PREFIX
): Promise<string[]> {
  if (!service.isAvailable()) {
    throw new UserError(
      'The artifact service is not available: ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are set only inside a GitHub Actions job. Set the input path to a folder of rump-cross reports instead.'
    )
  }
  const artifacts = (await service.list()).filter(a =>
    a.name.startsWith(prefix)
  )
  ui.info(
    `Found ${artifacts.length} artifacts named ${prefix}*: ${artifacts.map(a => a.name).join(', ') || 'none'}.`
  )

  const folders: string[] = []
  for (const artifact of artifacts) {
    // Artifact names cannot contain slashes, but the folder name must not
    // leave dir even if a service returned one.
    const folder = path.join(dir, artifact.name.replace(/[^\w.-]|^\.+$/g, '_'))
    try {
      folders.push(await service.download(artifact.id, folder))
      ui.debug(
        `Downloaded ${artifact.name} (${megabytes(artifact.size)}) to ${folder}.`
      )
    } catch (error) {
      ui.warning(
        `Download of the artifact ${artifact.name} failed: ${errorMessage(error)}. Its report is left out of the table.`
      )
    }
  }
  return folders
}
