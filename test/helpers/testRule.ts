// A made-up rule for tests of the engine and of what consumes its findings.
import type { Rule } from '../../server/src/engine/types';

export function testRule(code: string, nodeTypes: string[], visit: Rule['visit'], appliesTo?: Rule['appliesTo']): Rule {
  return {
    meta: {
      code,
      name: `test-${code.toLowerCase()}`,
      phase: 'idioms',
      severity: 'warning',
      summary: 'test rule',
      proverb: { text: 'Clear is better than clever.', source: 'Go Proverbs', url: 'https://go-proverbs.github.io' },
      docs: '## Why\ntest',
      example: { bad: '', good: '' },
      fixable: false,
    },
    nodeTypes,
    visit,
    ...(appliesTo ? { appliesTo } : {}),
  };
}
