// Writing and reading the JSON report of a run. Every report is checked
// against schema/report.schema.json, on the way out and on the way in.
import {
  Ajv2020,
  type ErrorObject,
  type ValidateFunction
} from 'ajv/dist/2020.js'
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import schema from '../../schema/report.schema.json' with { type: 'json' }
import { UserError, errorMessage } from '../errors.js'
import { REPORT_SCHEMA_VERSION, type RunReport } from '../results.js'

let validator: ValidateFunction | undefined

function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv2020({ allErrors: true, strict: true }).compile(schema)
  return validator(value) ? [] : (validator.errors ?? [])
}

/** Describes a schema error as `field: problem`, naming the field by path. */
function describe(error: ErrorObject): string {
  const field = error.instancePath
    ? error.instancePath.slice(1).replaceAll('/', '.')
    : 'the top level'
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'additionalProperties') {
    return `${field}: unknown field "${String(params.additionalProperty)}"`
  }
  if (error.keyword === 'required') {
    const name = String(params.missingProperty)
    const where = error.instancePath ? `${field}.${name}` : name
    return `${where}: missing`
  }
  return `${field}: ${error.message ?? 'invalid'}`
}

const MAX_LISTED_ERRORS = 5

/**
 * Checks a parsed report against the schema. Throws a UserError that names
 * the file and each wrong field, such as `tests.3.outcome`.
 */
export function checkReport(value: unknown, file: string): RunReport {
  const version =
    typeof value === 'object' && value !== null && 'schemaVersion' in value
      ? value.schemaVersion
      : undefined
  if (version !== undefined && version !== REPORT_SCHEMA_VERSION) {
    throw new UserError(
      `Report ${file} has schemaVersion ${JSON.stringify(version)}, but this version of rump-cross reads schemaVersion ${REPORT_SCHEMA_VERSION}. Use the same rump-cross version for the runs and the report action.`
    )
  }
  const errors = validate(value)
  if (errors.length === 0) return value as RunReport

  const listed = errors.slice(0, MAX_LISTED_ERRORS).map(describe)
  const more =
    errors.length > MAX_LISTED_ERRORS
      ? ` (and ${errors.length - MAX_LISTED_ERRORS} more errors)`
      : ''
  throw new UserError(
    `Report ${file} is not a valid rump-cross report: ${listed.join('; ')}${more}.`
  )
}

/**
 * Writes the report as JSON after checking it against the schema. The file
 * is written under a temporary name and renamed, so readers never see half a
 * report.
 */
export async function writeReport(
  file: string,
  report: RunReport
): Promise<void> {
  // The serialised form is checked, because JSON drops undefined fields and
  // turns NaN into null.
  const json = JSON.stringify(report, null, 2)
  const errors = validate(JSON.parse(json))

  // A report that fails the schema here is a bug in rump-cross, so this is a
  // plain Error with a stack trace, not a UserError.
  if (errors.length > 0) {
    throw new Error(
      `rump-cross produced an invalid report for ${file}: ${errors.map(describe).join('; ')}`
    )
  }
  await mkdir(path.dirname(file), { recursive: true })
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temporary, `${json}\n`)
    await rename(temporary, file)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/**
 * Reads and checks a report. Throws a UserError naming the file when it
 * cannot be read, is not JSON or does not match the schema.
 */
export async function readReport(file: string): Promise<RunReport> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    throw new UserError(`Report ${file} could not be read (${code}).`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UserError(
      `Report ${file} is not valid JSON: ${errorMessage(error)}.`
    )
  }
  return checkReport(value, file)
}
