// Turns user settings ({ "GR101": "warning", "concurrency": "off" }) into an effective severity
// per rule. A key names rules in one of four ways, from the least specific to the most:
//
//   `all` or `*`                      every rule
//   a phase (`concurrency`)           the rules of that phase (RuleMeta.phase)
//   a glob (`GR2*`, `GR10?`, `lock-*`) the rules whose code or name it matches (glob.ts: `*`, `?`)
//   a code (`GR101`, any case) or name (`lock-without-defer`)   that rule
//
// Within one set of settings a more specific key wins whatever the order, and keys of the same
// kind resolve by order, the later winning, as VS Code merges settings objects. Several sets
// (a configuration file, then the editor's settings) are layers: each later layer overrides the
// earlier ones for every rule it names, however broadly.
import { isGlob, keyGlob } from '../config/glob';
import { PHASES, type Phase, type RuleInfo, type Severity, type SeveritySetting } from './types';

export interface RuleConfig {
  /** Effective severity per rule code; 'off' rules are not run. */
  readonly severities: ReadonlyMap<string, SeveritySetting>;
}

export interface ConfigProblem {
  key: string;
  message: string;
  /** Which of the layers given to resolveConfig the key came from (0 for the first). */
  layer: number;
}

/** The severities a setting may give, as written in the settings and the configuration file. */
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

const SEVERITY_ALIASES: Record<string, SeveritySetting> = {
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  information: 'information',
  info: 'information',
  hint: 'hint',
  off: 'off',
};

/** The phases a key may name: the rubric's five, and the suppression directives' own (GR9xx). */
export const PHASE_KEYS: readonly Phase[] = [...PHASES, 'directives'];

/** The key that names every rule (besides the glob `*`). */
export const ALL_RULES_KEY = 'all';

/** How specific a key is; a more specific key wins over a less specific one in the same layer. */
export enum KeySpecificity {
  All = 0,
  Phase = 1,
  Glob = 2,
  Exact = 3,
}

/** The rule a code (any case) or name names exactly; globs and phases are not rules. */
export function findRule<R extends RuleInfo>(rules: readonly R[], key: string): R | undefined {
  const k = key.trim().toLowerCase();
  return rules.find((r) => r.meta.code.toLowerCase() === k || r.meta.name === k);
}

/** The rules a settings key names and how specifically, or undefined when it is not a key at all. */
export function rulesForKey<R extends RuleInfo>(rules: readonly R[], key: string): { specificity: KeySpecificity; rules: R[] } | undefined {
  const k = key.trim().toLowerCase();
  const exact = findRule(rules, k);
  if (exact) return { specificity: KeySpecificity.Exact, rules: [exact] };
  if (k === ALL_RULES_KEY || k === '*') return { specificity: KeySpecificity.All, rules: [...rules] };
  if ((PHASE_KEYS as readonly string[]).includes(k)) return { specificity: KeySpecificity.Phase, rules: rules.filter((r) => r.meta.phase === k) };
  if (isGlob(k)) {
    const glob = keyGlob(k);
    return { specificity: KeySpecificity.Glob, rules: rules.filter((r) => glob.test(r.meta.code) || glob.test(r.meta.name)) };
  }
  return undefined;
}

/**
 * The effective severities after applying each layer of settings in turn over the rules'
 * defaults. Keys that name nothing and values that are not severities are reported and skipped.
 */
export function resolveConfig(
  rules: readonly RuleInfo[],
  ...layers: (Record<string, unknown> | undefined)[]
): { config: RuleConfig; problems: ConfigProblem[] } {
  const severities = new Map<string, SeveritySetting>(rules.map((r) => [r.meta.code, r.meta.severity]));
  const problems: ConfigProblem[] = [];
  layers.forEach((overrides, layer) => {
    const chosen = new Map<string, { specificity: KeySpecificity; severity: SeveritySetting }>();
    for (const [key, value] of Object.entries(overrides ?? {})) {
      const target = rulesForKey(rules, key);
      if (!target) {
        problems.push({ key, layer, message: `unknown rule "${key}"` });
        continue;
      }
      if (target.rules.length === 0) {
        problems.push({ key, layer, message: `"${key}" matches no rule` });
        continue;
      }
      const severity = typeof value === 'string' ? SEVERITY_ALIASES[value.toLowerCase()] : undefined;
      if (!severity) {
        problems.push({ key, layer, message: `"${String(value)}" is not one of ${SEVERITY_SETTINGS.join(', ')}` });
        continue;
      }
      for (const rule of target.rules) {
        const previous = chosen.get(rule.meta.code);
        // The same specificity again: the later key wins.
        if (!previous || previous.specificity <= target.specificity) chosen.set(rule.meta.code, { specificity: target.specificity, severity });
      }
    }
    for (const [code, { severity }] of chosen) severities.set(code, severity);
  });
  return { config: { severities }, problems };
}

/**
 * Turns off the rules whose problem gopls already reports by default (RuleMeta.goplsAnalyzer),
 * except those the user configured explicitly in `overrides`: an explicit severity wins over
 * deferring. Only a rule's own code or name is explicit; a glob, a phase or `all` that happens to
 * cover the rule is not (`"concurrency": "error"` still leaves GR209 to gopls).
 */
export function deferredToGopls(rules: readonly RuleInfo[], config: RuleConfig, overrides: Record<string, unknown> | undefined): RuleConfig {
  const explicit = new Set(Object.keys(overrides ?? {}).flatMap((key) => findRule(rules, key)?.meta.code ?? []));
  const severities = new Map(config.severities);
  for (const rule of rules) if (rule.meta.goplsAnalyzer && !explicit.has(rule.meta.code)) severities.set(rule.meta.code, 'off');
  return { severities };
}

export function defaultConfig(rules: readonly RuleInfo[]): RuleConfig {
  return resolveConfig(rules, undefined).config;
}

/** The severity a finding is published with: the rule's configured level, or the finding's own. */
export function effectiveSeverity(
  config: RuleConfig,
  rule: RuleInfo,
  reported: Severity | undefined,
): SeveritySetting {
  const configured = config.severities.get(rule.meta.code) ?? rule.meta.severity;
  if (configured === 'off') return 'off';
  // A rule with a per-finding severity (GR201's W/I split) keeps it unless the user changed the rule's level.
  if (reported && configured === rule.meta.severity) return reported;
  return configured;
}
