// Runs once before the tests: installs the Debian packages and binfmt state
// the tests use (a no-op when everything is there), so that `npm test` works
// on a fresh machine. Set RUMP_CROSS_SKIP_TEST_DEPS=1 to skip it.
import { execFileSync } from 'node:child_process'
import process from 'node:process'

export default function globalSetup() {
  if (process.env.RUMP_CROSS_SKIP_TEST_DEPS === '1') return
  execFileSync('scripts/install-test-deps.sh', { stdio: 'inherit' })
}
