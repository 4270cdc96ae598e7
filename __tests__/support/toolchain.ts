// Real musl cross toolchains for tests, built by
// scripts/build-test-toolchain.sh from Debian's cross gcc and Debian's musl
// source package. See README.md in this folder.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const BUILD_SCRIPT = join(REPO_ROOT, 'scripts/build-test-toolchain.sh')

/** musl.cc spelling of the triple for each arch the build script accepts. */
const MUSL_TRIPLES = {
  powerpc: 'powerpc-linux-musl',
  armhf: 'arm-linux-musleabihf',
  mips: 'mips-linux-musl',
  mipsel: 'mipsel-linux-musl',
  aarch64: 'aarch64-linux-musl',
  i686: 'i686-linux-musl',
  riscv64: 'riscv64-linux-musl'
} as const

export type TestToolchainArch = keyof typeof MUSL_TRIPLES

export interface TestToolchain {
  /** musl.cc-style archive: top folder `<triple>-cross/`. */
  tgz: string
  tgzSha256: string
  /** cross-tools/musl-cross-style archive: top folder `<vendorTriple>/`. */
  txz: string
  txzSha256: string
  /** Extracted `<triple>-cross` folder: `bin/<triple>-gcc` and the sysroot. */
  dir: string
  /** musl.cc triple, the prefix of the tools in `dir/bin`. */
  triple: string
  /** Triple with the `unknown` vendor field, the prefix inside `txz`. */
  vendorTriple: string
}

const builds = new Map<TestToolchainArch, Promise<TestToolchain>>()

/**
 * Builds (or takes from the cache) the test toolchain for `arch` and extracts
 * the musl.cc-style archive. A cold build took about 30 s per arch on a
 * 2-core machine, more when apt-get must install packages or the machine is
 * busy, so call it from a `beforeAll` with a timeout of several minutes. Calls in one process share one build.
 * Concurrent jest workers are safe: the script holds a lock on its cache and
 * renames finished files into place, and extraction renames a complete folder.
 */
export function testToolchain(arch: TestToolchainArch): Promise<TestToolchain> {
  let build = builds.get(arch)
  if (build === undefined) {
    build = buildTestToolchain(arch)
    builds.set(arch, build)
    // A failed build is not memoized, so a later call can try again.
    build.catch(() => builds.delete(arch))
  }
  return build
}

/** Cache folder shared with the build script. */
function testToolchainCache(): string {
  return (
    process.env.RUMP_CROSS_TEST_CACHE ||
    join(REPO_ROOT, '.cache/test-toolchains')
  )
}

async function buildTestToolchain(
  arch: TestToolchainArch
): Promise<TestToolchain> {
  const triple = MUSL_TRIPLES[arch]
  const dash = triple.indexOf('-')
  const vendorTriple = `${triple.slice(0, dash)}-unknown${triple.slice(dash)}`
  const cache = testToolchainCache()
  const outDir = join(cache, 'out', arch)

  try {
    await execFileAsync('bash', [BUILD_SCRIPT, arch, outDir], {
      env: { ...process.env, RUMP_CROSS_TEST_CACHE: cache },
      maxBuffer: 64 * 1024 * 1024
    })
  } catch (error) {
    const failure = error as Error & { stdout?: string; stderr?: string }
    const output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`
    throw new Error(
      `${BUILD_SCRIPT} ${arch} ${outDir} failed:\n${lastLines(output, 40)}`
    )
  }

  const tgz = join(outDir, `${triple}-cross.tgz`)
  const txz = join(outDir, `${vendorTriple}.tar.xz`)
  const [tgzSha256, txzSha256] = await Promise.all([
    sha256File(tgz),
    sha256File(txz)
  ])
  const dir = await extractOnce(
    tgz,
    join(cache, 'extracted', arch, tgzSha256.slice(0, 16)),
    `${triple}-cross`
  )
  return { tgz, tgzSha256, txz, txzSha256, dir, triple, vendorTriple }
}

/**
 * Extracts `archive` into `target` unless a complete copy is already there,
 * and returns `target/<top>`. The archive is extracted into a temporary
 * sibling folder that is renamed to `target`, so no caller sees a partial
 * tree. A caller that loses the rename race uses the winner's copy. GNU tar
 * is used because it keeps the archive's symbolic and hard links.
 */
async function extractOnce(
  archive: string,
  target: string,
  top: string
): Promise<string> {
  const dir = join(target, top)
  if (existsSync(dir)) {
    return dir
  }

  await mkdir(dirname(target), { recursive: true })
  const staging = await mkdtemp(`${target}.tmp-`)
  try {
    await execFileAsync('tar', ['-xzf', archive, '-C', staging])
    await rename(staging, target)
  } catch (error) {
    await rm(staging, { recursive: true, force: true })
    const code = (error as NodeJS.ErrnoException).code
    const lostRace =
      (code === 'ENOTEMPTY' || code === 'EEXIST') && existsSync(dir)
    if (!lostRace) {
      throw error
    }
  }
  return dir
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256')
    createReadStream(file)
      .on('error', reject)
      .on('data', chunk => hash.update(chunk))
      .on('end', () => resolvePromise(hash.digest('hex')))
  })
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n')
}
