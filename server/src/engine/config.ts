// Turns user settings ({ "GR101": "warning", "lock-without-defer": "off" }) into an effective
// severity per rule. Keys may be codes (any case) or names; a name and a code for the same rule
// resolve by the order given, the later winning, as VS Code merges settings objects.
import type { RuleInfo, Severity, SeveritySetting } from './types';

export interface RuleConfig {
  /** Effective severity per rule code; 'off' rules are not run. */
  readonly severities: ReadonlyMap<string, SeveritySetting>;
}

export interface ConfigProblem {
  key: string;
  message: string;
}

const SEVERITY_ALIASES: Record<string, SeveritySetting> = {
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  information: 'information',
  info: 'information',
  hint: 'hint',
  off: 'off',
};

export function findRule<R extends RuleInfo>(rules: readonly R[], key: string): R | undefined {
  const k = key.trim().toLowerCase();
  return rules.find((r) => r.meta.code.toLowerCase() === k || r.meta.name === k);
}

export function resolveConfig(
  rules: readonly RuleInfo[],
  overrides: Record<string, unknown> | undefined,
): { config: RuleConfig; problems: ConfigProblem[] } {
  const severities = new Map<string, SeveritySetting>(rules.map((r) => [r.meta.code, r.meta.severity]));
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(overrides ?? {})) {
    const rule = findRule(rules, key);
    if (!rule) {
      problems.push({ key, message: `unknown rule "${key}"` });
      continue;
    }
    const severity = typeof value === 'string' ? SEVERITY_ALIASES[value.toLowerCase()] : undefined;
    if (!severity) {
      problems.push({ key, message: `"${String(value)}" is not one of error, warning, information, hint, off` });
      continue;
    }
    severities.set(rule.meta.code, severity);
  }
  return { config: { severities }, problems };
}

/**
 * Turns off the rules whose problem gopls already reports by default (RuleMeta.goplsAnalyzer),
 * except those the user configured explicitly in `overrides` (by code or name): an explicit
 * severity wins over deferring.
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
