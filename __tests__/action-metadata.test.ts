// action.yml, the README and the input and output tables of the code must
// agree. These tests fail when one of them drifts.
import { existsSync, readFileSync } from 'node:fs'
import YAML from 'yaml'
import { INPUTS } from '../src/inputs.js'
import { OUTPUTS } from '../src/outputs.js'

interface ActionInput {
  description: string
  required?: boolean
  default?: string
}

const action = YAML.parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, ActionInput>
  outputs: Record<string, { description: string }>
  runs: Record<string, string>
}
const readme = readFileSync('README.md', 'utf8')

/** Returns the rows of the Markdown table under `heading` as cell lists. */
function tableRows(heading: string): string[][] {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
  return section
    .split('\n')
    .filter(line => line.startsWith('| `'))
    .map(line =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map(cell => cell.trim().replace(/\\\|/g, '|'))
    )
}

describe('action.yml', () => {
  it('declares every input of the code', () => {
    expect(Object.keys(action.inputs)).toEqual(Object.keys(INPUTS))
  })

  it.each(Object.entries(INPUTS))(
    'describes input %s as the code',
    (name, spec) => {
      expect(action.inputs[name].description).toBe(spec.description)
    }
  )

  it.each(Object.entries(INPUTS))(
    'gives input %s the default of the code',
    (name, spec) => {
      const required = 'required' in spec && spec.required === true
      expect(action.inputs[name].default ?? '').toBe(
        required ? '' : spec.default
      )
    }
  )

  it('requires only arch', () => {
    const required = Object.entries(action.inputs)
      .filter(([, input]) => input.required)
      .map(([name]) => name)
    expect(required).toEqual(['arch'])
  })

  it('declares every output of the code', () => {
    expect(Object.keys(action.outputs)).toEqual(Object.keys(OUTPUTS))
  })

  it.each(Object.entries(OUTPUTS))(
    'describes output %s as the code',
    (name, text) => {
      expect(action.outputs[name].description).toBe(text)
    }
  )

  it('runs on node24 from dist', () => {
    expect([action.runs.using, action.runs.main]).toEqual([
      'node24',
      'dist/index.js'
    ])
  })

  it('points at bundles that exist', () => {
    expect(
      [action.runs.main, action.runs.post].filter(f => !existsSync(f))
    ).toEqual([])
  })
})

describe('README', () => {
  it('lists every input in order', () => {
    const names = tableRows('Inputs').map(row => row[0].replace(/`/g, ''))
    expect(names).toEqual(Object.keys(INPUTS))
  })

  it('describes every input as action.yml', () => {
    const rows = tableRows('Inputs')
    expect(rows.map(row => row[2])).toEqual(
      Object.values(INPUTS).map(spec => spec.description)
    )
  })

  it('lists every output in order', () => {
    const names = tableRows('Outputs').map(row => row[0].replace(/`/g, ''))
    expect(names).toEqual(Object.keys(OUTPUTS))
  })

  it('describes every output as action.yml', () => {
    expect(tableRows('Outputs').map(row => row[1])).toEqual(
      Object.values(OUTPUTS)
    )
  })

  it('has YAML examples that parse', () => {
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map(
      m => m[1]
    )
    expect(blocks.length).toBeGreaterThan(0)
    for (const block of blocks) expect(() => YAML.parse(block)).not.toThrow()
  })
})
