// Installs the host packages a run needs, and only those that are missing.
import { UserError } from '../errors.js'
import type { Ui } from '../ui.js'
import { describeFailure, type HostSystem, type RunResult } from './system.js'

/** Maximum time apt-get waits for the dpkg lock, in seconds. */
export const DPKG_LOCK_TIMEOUT_SECONDS = 300

export interface PackageRequest {
  /** The target runs without emulation, so qemu and binfmt are not needed. */
  readonly native: boolean
  readonly backtraces: boolean
}

export interface PackageNeed {
  /** Name passed to apt-get install when the need is not met. */
  readonly install: string
  /** Sets of packages that each meet the need once all are installed. */
  readonly satisfiedBy: readonly (readonly string[])[]
}

// Debian's qemu 1:9.1.1 and later (Debian 13, and Ubuntu 25.10 by report)
// build qemu-user statically. There qemu-user-static only adds `-static`
// links and qemu-user-binfmt does the registration, so that pair is as good
// as qemu-user-static.
// NOTE: only the Debian 12 layout ran here. The other one is known from
// Debian's release notes and is covered by tests with a fake dpkg-query.
const QEMU_NEED: PackageNeed = {
  install: 'qemu-user-static',
  satisfiedBy: [['qemu-user-static'], ['qemu-user', 'qemu-user-binfmt']]
}
const QEMU_SPLIT_PACKAGES = ['qemu-user', 'qemu-user-binfmt']

/** Lists the packages a run needs on this host. */
export function requiredPackages(request: PackageRequest): PackageNeed[] {
  const needs: PackageNeed[] = []
  if (!request.native) {
    needs.push(QEMU_NEED, single('binfmt-support'))
  }
  needs.push(single('zlib1g-dev'))
  if (request.backtraces) needs.push(single('gdb-multiarch'))
  return needs
}

function single(name: string): PackageNeed {
  return { install: name, satisfiedBy: [[name]] }
}

/**
 * Installs the missing packages with apt-get and returns their names. Runs
 * `apt-get update` only when apt-get cannot find a package, then retries
 * once.
 */
export async function ensurePackages(
  request: PackageRequest,
  ui: Ui,
  system: HostSystem
): Promise<string[]> {
  const needs = requiredPackages(request)
  const installed = await queryInstalled(
    system,
    needs.flatMap(need => need.satisfiedBy.flat())
  )
  const missing = needs
    .filter(
      need =>
        !need.satisfiedBy.some(set => set.every(name => installed.has(name)))
    )
    .map(need => need.install)
  if (missing.length === 0) {
    ui.info(
      `Host packages already installed: ${needs.map(n => n.install).join(', ')}`
    )
    return []
  }

  await checkSudo(system, missing)
  ui.info(
    `Installing ${missing.join(', ')} with apt-get (waits up to ` +
      `${DPKG_LOCK_TIMEOUT_SECONDS} s for the dpkg lock when another ` +
      'apt-get or unattended-upgrades holds it)'
  )
  return installWithRetry(missing, ui, system)
}

/** Returns the names among `names` that dpkg reports as installed. */
export async function queryInstalled(
  system: HostSystem,
  names: readonly string[]
): Promise<Set<string>> {
  const unique = [...new Set(names)]
  // dpkg-query exits 1 when some names are unknown but still prints the rest.
  const result = await system.run('dpkg-query', [
    '-W',
    '-f=${Package}\\t${Status}\\n',
    ...unique
  ])
  if (result.spawnError !== undefined) {
    throw new UserError(
      `dpkg-query could not start (${result.spawnError}), so the host ` +
        'packages cannot be checked. rump-cross installs them with apt ' +
        'and needs a Debian or Ubuntu host, such as the ubuntu-* runners.'
    )
  }
  const installed = new Set<string>()
  for (const line of result.stdout.split('\n')) {
    const [name, status] = line.split('\t')
    // The status is "<want> <error> <state>", such as "install ok installed".
    if (name && status?.trim().split(/\s+/)[2] === 'installed') {
      installed.add(name)
    }
  }
  return installed
}

async function checkSudo(system: HostSystem, missing: readonly string[]) {
  if (system.isRoot) return
  const result = await system.run('sudo', ['-n', 'true'])
  if (result.exitCode === 0) return
  throw new UserError(
    `Installing ${missing.join(', ')} needs root, but this process is not ` +
      `root and passwordless sudo is not available (sudo -n true: ` +
      `${describeFailure(result)}). Run as root, allow passwordless sudo, ` +
      `or install them beforehand: sudo apt-get install -y ` +
      `--no-install-recommends ${missing.join(' ')}`
  )
}

async function installWithRetry(
  packages: readonly string[],
  ui: Ui,
  system: HostSystem
): Promise<string[]> {
  let names = [...packages]
  let result = await aptGet(system, ui, installArgs(names))
  if (result.exitCode !== 0 && isNotFound(result)) {
    ui.info(
      'apt-get cannot find a package; running apt-get update, then retrying once'
    )
    const update = await aptGet(system, ui, ['update'])
    if (update.exitCode !== 0) {
      throw aptError('apt-get update', update, names)
    }
    result = await aptGet(system, ui, installArgs(names))
  }
  if (
    result.exitCode !== 0 &&
    isNotFound(result) &&
    names.includes(QEMU_NEED.install) &&
    output(result).includes(QEMU_NEED.install)
  ) {
    names = names.flatMap(name =>
      name === QEMU_NEED.install ? QEMU_SPLIT_PACKAGES : [name]
    )
    const split = QEMU_SPLIT_PACKAGES.join(' and ')
    ui.info(`No ${QEMU_NEED.install} package here; installing ${split}`)
    result = await aptGet(system, ui, installArgs(names))
  }
  if (result.exitCode !== 0) {
    throw aptError('apt-get install', result, names)
  }
  return names
}

function installArgs(names: readonly string[]): string[] {
  return ['install', '-y', '--no-install-recommends', ...names]
}

async function aptGet(
  system: HostSystem,
  ui: Ui,
  args: readonly string[]
): Promise<RunResult> {
  const aptArgs = [
    '-o',
    `DPkg::Lock::Timeout=${DPKG_LOCK_TIMEOUT_SECONDS}`,
    ...args
  ]
  ui.info(`Running apt-get ${aptArgs.join(' ')}`)
  const result = system.isRoot
    ? await system.run('apt-get', aptArgs, {
        env: { DEBIAN_FRONTEND: 'noninteractive' }
      })
    : await system.run('sudo', [
        '-n',
        'env',
        'DEBIAN_FRONTEND=noninteractive',
        'apt-get',
        ...aptArgs
      ])
  ui.output(
    output(result)
      .split('\n')
      .filter(line => line !== '')
  )
  return result
}

function output(result: RunResult): string {
  return `${result.stdout}\n${result.stderr}`
}

function isNotFound(result: RunResult): boolean {
  return /Unable to locate package|has no installation candidate/.test(
    output(result)
  )
}

function isLocked(result: RunResult): boolean {
  return /Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock the administration directory/.test(
    output(result)
  )
}

function aptError(
  command: string,
  result: RunResult,
  names: readonly string[]
): UserError {
  const detail = describeFailure(result)
  if (isLocked(result)) {
    return new UserError(
      `${command} could not get the dpkg lock within ` +
        `${DPKG_LOCK_TIMEOUT_SECONDS} s (${detail}). Another package ` +
        'manager, often unattended-upgrades on a fresh runner, still holds ' +
        'it. Wait for it to finish or stop it, then run the job again.'
    )
  }
  return new UserError(
    `${command} failed while installing ${names.join(', ')} (${detail}). ` +
      'Check the ' +
      'apt sources and the network, or install the packages before this ' +
      `step: apt-get install -y --no-install-recommends ${names.join(' ')}`
  )
}
