// The command-line program, run from dist/ as a user would run it.
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { INPUTS } from '../src/inputs.js'
import { testToolchain } from './support/toolchain.js'

const STANDIN = path.resolve('__tests__/fixtures/buildrump-standin')

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['dist/cli.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 300_000
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('rump-cross CLI', () => {
  it('help lists a flag for every input', () => {
    const { status, stdout } = cli(['--help'])
    expect(status).toBe(0)
    for (const name of Object.keys(INPUTS))
      expect(stdout).toContain(`--${name}`)
  })

  it('unknown flag exits 2 with the usage', () => {
    const { status, stderr } = cli(['--arch', 'powerpc', '--colour'])
    expect(status).toBe(2)
    expect(stderr).toMatch(/^rump-cross: Unknown option '--colour'/)
    expect(stderr).toContain('Usage: rump-cross --arch ARCH [options]')
  })

  it('unknown arch exits 2 naming the value', () => {
    const { status, stderr } = cli(['--arch', 'vax'])
    expect(status).toBe(2)
    expect(stderr).toContain('Input arch "vax" is not a known architecture.')
  })

  it('args that set -o exit 2 before any work', () => {
    const { status, stderr } = cli(['--arch', 'powerpc', '--args', '-o /x'])
    expect(status).toBe(2)
    expect(stderr).toContain('sets -o, which rump-cross sets itself')
  })

  it('runs a probe with the stand-in and an installed toolchain', async () => {
    const toolchain = await testToolchain('powerpc')
    const temp = mkdtempSync(path.join(os.tmpdir(), 'rc-cli-'))
    const { status, stdout } = cli(
      [
        '--arch',
        'ppc',
        '--toolchain-path',
        toolchain.dir,
        '--buildrump-path',
        STANDIN,
        '--commands',
        'probe',
        '--args',
        '-k'
      ],
      { RUNNER_TEMP: temp, RUNNER_TOOL_CACHE: path.join(temp, 'tc') }
    )
    expect([status, stdout.match(/^Outcome: (\S+)/m)?.[1]]).toEqual([
      0,
      'passed'
    ])
  }, 300_000)

  it('report prints the table of a folder', () => {
    const temp = mkdtempSync(path.join(os.tmpdir(), 'rc-cli-'))
    const { stdout } = cli(['report', '__tests__/fixtures/reports/matrix'], {
      RUNNER_TEMP: temp
    })
    expect(stdout).toContain('## rump-cross compatibility')
  })

  it('report with fail-on unexpected exits 1 on failures', () => {
    const temp = mkdtempSync(path.join(os.tmpdir(), 'rc-cli-'))
    const { status } = cli(
      [
        'report',
        '__tests__/fixtures/reports/matrix',
        '--fail-on',
        'unexpected'
      ],
      { RUNNER_TEMP: temp }
    )
    expect(status).toBe(1)
  })

  it('report without a folder exits 2', () => {
    expect(cli(['report']).status).toBe(2)
  })
})
