export {
  backtrace,
  collectCrashBacktraces,
  findGuestCores,
  parseSignalReport,
  removeHostCores,
  type GuestCore,
  type SignalReport
} from './backtrace.js'
export { killTree, type KillTreeOptions, type KillTreeResult } from './kill.js'
export {
  descendants,
  emulatedProcesses,
  RUN_ID_VARIABLE,
  runProcesses,
  type EmulatedProcess,
  type ProcessInfo
} from './proc.js'
export {
  Watchdog,
  type HangInfo,
  type HungProcess,
  type WatchdogOptions
} from './watchdog.js'
