// Runs dist/ the way the runner does: Node 24 (jest itself runs on it),
// INPUT_* variables with hyphens kept, and temporary GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, RUNNER_TEMP and RUNNER_TOOL_CACHE.
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export interface ActionRun {
  readonly exitCode: number | null
  readonly stdout: string
  readonly stderr: string
  readonly outputs: Record<string, string>
  readonly summary: string
  readonly runnerTemp: string
  readonly durationMs: number
}

export interface ActionRunOptions {
  /** Input values by their action.yml names. */
  readonly inputs: Record<string, string>
  /** Bundle to run, relative to the repository root. */
  readonly entry?: string
  readonly env?: Record<string, string>
  /** Shared tool cache folder, so that a second run can hit it. */
  readonly toolCache?: string
  readonly timeoutMs?: number
  /** Called with the child's pid once it runs, to signal it from a test. */
  readonly onStart?: (pid: number) => void
}

/** Parses the `name<<delimiter` blocks that @actions/core writes. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== match[2]; i++) {
      value.push(lines[i])
    }
    outputs[match[1]] = value.join('\n')
  }
  return outputs
}

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'rc-e2e-'))
  const runnerTemp = path.join(root, 't')
  const toolCache = options.toolCache ?? path.join(root, 'tool-cache')
  const outputFile = path.join(root, 'github-output')
  const summaryFile = path.join(root, 'step-summary')
  await mkdir(runnerTemp, { recursive: true })
  await mkdir(toolCache, { recursive: true })
  await writeFile(outputFile, '')
  await writeFile(summaryFile, '')

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: toolCache,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: root,
    ...options.env
  }
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = value
  }

  const started = Date.now()
  const entry = path.resolve(options.entry ?? 'dist/index.js')
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  if (child.pid !== undefined) options.onStart?.(child.pid)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (data: Buffer) => (stdout += data.toString()))
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
  const timer = setTimeout(
    () => child.kill('SIGKILL'),
    options.timeoutMs ?? 600_000
  )
  const exitCode = await new Promise<number | null>(resolve =>
    child.on('close', code => resolve(code))
  )
  clearTimeout(timer)

  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    runnerTemp,
    durationMs: Date.now() - started
  }
}
