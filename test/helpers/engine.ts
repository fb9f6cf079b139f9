// Shared set-up for tests that run the engine: one parser per test process.
import type { Parser } from 'web-tree-sitter';
import { defaultConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import { createGoParser } from '../../server/src/parsing/goParser';
import { allRules, directiveRules } from '../../server/src/rules';

let parser: Promise<Parser> | undefined;

export function sharedParser(): Promise<Parser> {
  parser ??= createGoParser();
  return parser;
}

export const engine = new Engine(allRules, undefined, directiveRules);
export const config = defaultConfig(allRules);
