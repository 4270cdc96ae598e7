// Every output of action.yml, named once.

export const OUTPUTS = {
  outcome:
    'Result of the run: passed, failed, hung, crashed, build-failed or setup-failed.',
  'tests-passed': 'Number of tests that passed.',
  'tests-failed': 'Number of tests that failed.',
  'tests-hung': 'Number of tests that made no progress for test-timeout.',
  'tests-crashed': 'Number of tests that died on a signal.',
  'tests-skipped': 'Number of tests the suite skipped.',
  report: 'Path of the JSON report.',
  log: 'Path of the full log.',
  triple: 'musl triple of the target.',
  'netbsd-machine': 'NetBSD machine buildrump.sh builds for.',
  'qemu-version': 'Version of the qemu-user emulator used for the tests.',
  'toolchain-path': 'Folder of the musl cross toolchain.',
  cc: 'Path of the C compiler.',
  'cache-hit': 'Whether the toolchain came from a cache.'
} as const satisfies Record<string, string>

export type OutputName = keyof typeof OUTPUTS
