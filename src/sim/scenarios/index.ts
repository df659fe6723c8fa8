import { fromSpec, loadScenarioFile } from './file.js'
import { flink } from './flink.js'
import { hello } from './hello.js'
import { scale } from './scale.js'
import type { Scenario, ScenarioSpec } from './types.js'

export const SCENARIOS: Record<string, Scenario> = { hello, flink, scale }

/** A built-in name, a path to a JSON file, or a spec object. */
export function scenarioFor(s: string | ScenarioSpec | undefined): Scenario {
  if (s === undefined) return flink
  if (typeof s !== 'string') return fromSpec(s)
  const builtIn = SCENARIOS[s]
  if (builtIn) return builtIn
  if (s.endsWith('.json')) return fromSpec(loadScenarioFile(s))
  throw new Error(`unknown scenario "${s}" (hello, flink, scale, or a .json file)`)
}

export type { Scenario, ScenarioSpec } from './types.js'
