// The tests of buildrump.sh's tests/testrump.sh, in the order it runs them
// (ALLTESTS in rumpkernel/buildrump.sh 6cccd46).

export interface SuiteTest {
  /** Name in ALLTESTS, used as the test id everywhere. */
  readonly id: string
  /** Text printed when the test starts, without the trailing newline. */
  readonly title: string
  /** Guest programs the test runs, for cores and backtraces. */
  readonly programs: readonly string[]
}

export const SUITE: readonly SuiteTest[] = [
  { id: 'init', title: 'bootstrap test', programs: ['init'] },
  { id: 'fstest', title: 'VFS test', programs: ['fstest'] },
  {
    id: 'fstest_img',
    title: 'VFS test with actual file system ...',
    programs: ['fstest2']
  },
  {
    id: 'simpleclient',
    title: 'Remote communication ...',
    programs: ['rump_server', 'simpleclient']
  },
  {
    id: 'nettest_simple',
    title: 'IPv4 networking test ...',
    programs: ['nettest_simple']
  },
  {
    id: 'nettest_simple6',
    title: 'IPv6 networking test ...',
    programs: ['nettest_simple6']
  },
  {
    id: 'nettest_routed',
    title: 'Routed IPv4 networking test ...',
    programs: ['nettest_routed', 'simpleclient']
  },
  {
    id: 'nettest_routed6',
    title: 'Routed IPv6 networking test ...',
    programs: ['nettest_routed6', 'simpleclient']
  },
  {
    id: 'dynamic',
    title: 'Dynamic loading of components ...',
    programs: ['dynamic']
  }
]

/** Finds a test by id or by its printed title (case-insensitive). */
export function findSuiteTest(name: string): SuiteTest | undefined {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/\s*\.\.\.$/, '')
  return SUITE.find(
    t =>
      t.id.toLowerCase() === key ||
      t.title.toLowerCase().replace(/\s*\.\.\.$/, '') === key
  )
}
