// `--rules LIST` and `--exclude-rules LIST`: which rules run at all, for one run of the command
// line. A thin layer over the configuration: it only turns rules off, after every other layer
// (defaults, configuration file, --rule), so a selected rule keeps the severity those give it,
// and a rule they turn off stays off (`--rule KEY=LEVEL` turns it back on).
import { rulesForKey, type RuleConfig } from '../engine/config';
import type { RuleInfo } from '../engine/types';
import type { ConfigScope } from './configScope';

/**
 * The codes of the rules named by comma-separated lists of keys (codes, names, globs, phases,
 * all), or what is wrong with a key: a key that names nothing is a mistake on the command line.
 */
export function rulesInLists(rules: readonly RuleInfo[], lists: readonly string[], flag: string): Set<string> | { error: string } {
  const codes = new Set<string>();
  for (const key of lists.flatMap((list) => list.split(',')).map((k) => k.trim())) {
    if (key === '') return { error: `${flag} takes rule codes, names, globs or phases separated by commas (got an empty one)` };
    const target = rulesForKey(rules, key);
    if (!target) return { error: `${flag}: unknown rule "${key}"` };
    if (target.rules.length === 0) return { error: `${flag}: "${key}" matches no rule` };
    for (const rule of target.rules) codes.add(rule.meta.code);
  }
  return codes;
}

/** The scope with every rule that `runs` refuses turned off; one RuleConfig per underlying one. */
export function selectRules(scope: ConfigScope, runs: (code: string) => boolean): ConfigScope {
  const selected = new WeakMap<RuleConfig, RuleConfig>();
  const select = (config: RuleConfig): RuleConfig => {
    let result = selected.get(config);
    if (!result) {
      result = { severities: new Map([...config.severities].map(([code, severity]) => [code, runs(code) ? severity : 'off'])) };
      selected.set(config, result);
    }
    return result;
  };
  return {
    configFor: (path) => {
      const config = scope.configFor(path);
      return config && select(config);
    },
    folderConfig: (dir) => select(scope.folderConfig(dir)),
  };
}
