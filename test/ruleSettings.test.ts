// goRubric.rules and the configuration file's `rules`: codes, names, globs, phases and `all`,
// their precedence within one set of settings and across layers, and what counts as explicit
// for goRubric.deferToGopls.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { deferredToGopls, findRule, resolveConfig, rulesForKey, KeySpecificity, PHASE_KEYS } from '../server/src/engine/config';
import { catalog } from '../server/src/rules';

function severities(...layers: Record<string, unknown>[]): Map<string, string> {
  const { config, problems } = resolveConfig(catalog, ...layers);
  assert.deepEqual(problems, []);
  return new Map(config.severities);
}

const codes = (prefix: string) => catalog.filter((r) => r.meta.code.startsWith(prefix)).map((r) => r.meta.code);
const defaultOf = (code: string) => findRule(catalog, code)!.meta.severity;

describe('rule keys', () => {
  it('no rule is named like a phase or "all", so every key means one thing', () => {
    for (const rule of catalog) {
      assert.ok(!(PHASE_KEYS as readonly string[]).includes(rule.meta.name), rule.meta.name);
      assert.notEqual(rule.meta.name, 'all');
      assert.doesNotMatch(rule.meta.name, /[*?]/);
    }
  });

  it('classifies codes (any case), names, globs, phases and all', () => {
    assert.deepEqual(rulesForKey(catalog, 'gr101')?.rules.map((r) => r.meta.code), ['GR101']);
    assert.equal(rulesForKey(catalog, 'lock-without-defer')?.specificity, KeySpecificity.Exact);
    const glob = rulesForKey(catalog, 'GR2*')!;
    assert.equal(glob.specificity, KeySpecificity.Glob);
    assert.deepEqual(glob.rules.map((r) => r.meta.code), codes('GR2'));
    assert.deepEqual(rulesForKey(catalog, 'GR10?')!.rules.map((r) => r.meta.code), ['GR101', 'GR102', 'GR103', 'GR104', 'GR105', 'GR106', 'GR107', 'GR108', 'GR109']);
    assert.deepEqual(rulesForKey(catalog, 'lock-*')!.rules.map((r) => r.meta.code), ['GR201', 'GR202', 'GR215']);
    const phase = rulesForKey(catalog, 'Concurrency')!;
    assert.equal(phase.specificity, KeySpecificity.Phase);
    assert.deepEqual(phase.rules.map((r) => r.meta.code), codes('GR2'));
    for (const all of ['all', '*', 'ALL']) {
      assert.equal(rulesForKey(catalog, all)?.specificity, KeySpecificity.All, all);
      assert.equal(rulesForKey(catalog, all)?.rules.length, catalog.length);
    }
    assert.equal(rulesForKey(catalog, 'GR999'), undefined);
    assert.deepEqual(rulesForKey(catalog, 'GR8*')?.rules, []);
  });

  it('every phase names its GR<phase>xx rules, and directives the GR9xx ones', () => {
    const digits = [0, 1, 2, 3, 4, 9];
    PHASE_KEYS.forEach((phase, i) => assert.deepEqual(rulesForKey(catalog, phase)!.rules.map((r) => r.meta.code), codes(`GR${digits[i]}`), phase));
    assert.deepEqual(new Set(catalog.map((r) => r.meta.phase)), new Set(PHASE_KEYS), 'every phase of the catalog is a key');
  });
});

describe('resolveConfig', () => {
  it('a more specific key wins whatever the order: code or name over glob over phase over all', () => {
    const s = severities({ GR201: 'hint', 'GR2*': 'warning', concurrency: 'error', all: 'off' });
    assert.equal(s.get('GR201'), 'hint');
    assert.equal(s.get('GR202'), 'warning');
    assert.equal(s.get('GR101'), 'off');
    const reversed = severities({ all: 'off', concurrency: 'error', 'GR2*': 'warning', GR201: 'hint' });
    assert.deepEqual(reversed, s, 'order does not matter between kinds');
    const phaseOverAll = severities({ testing: 'error', '*': 'off' });
    assert.equal(phaseOverAll.get('GR301'), 'error');
    assert.equal(phaseOverAll.get('GR201'), 'off');
    assert.equal(severities({ 'lock-without-defer': 'error', 'GR2*': 'hint' }).get('GR201'), 'error', 'a name is as specific as a code');
  });

  it('keys of the same kind resolve by order, the later winning', () => {
    assert.equal(severities({ GR201: 'hint', 'lock-without-defer': 'error' }).get('GR201'), 'error');
    assert.equal(severities({ 'lock-without-defer': 'error', gr201: 'hint' }).get('GR201'), 'hint');
    const globs = severities({ 'GR2*': 'hint', 'GR20?': 'error' });
    assert.equal(globs.get('GR201'), 'error');
    assert.equal(globs.get('GR210'), 'hint');
    assert.equal(severities({ 'GR20?': 'error', 'GR2*': 'hint' }).get('GR201'), 'hint');
  });

  it('a later layer overrides an earlier one for every rule it names, however broadly', () => {
    const file = { GR201: 'error', GR101: 'warning', 'GR3*': 'off' };
    const settings = { concurrency: 'hint', GR301: 'warning' };
    const s = severities(file, settings);
    assert.equal(s.get('GR201'), 'hint', 'the settings name GR201 through its phase');
    assert.equal(s.get('GR101'), 'warning', 'only the file names GR101');
    assert.equal(s.get('GR301'), 'warning');
    assert.equal(s.get('GR302'), 'off');
    assert.equal(s.get('GR401'), defaultOf('GR401'));
  });

  it('reports unknown keys, globs matching nothing and bad values, with their layer, and applies the rest', () => {
    const { config, problems } = resolveConfig(catalog, { GR999: 'off', 'GR8*': 'off', GR101: 'loud' }, { 'no-such-rule': 'hint', GR102: 'warn', 'GR20?': 'info' });
    assert.deepEqual(
      problems.map((p) => [p.layer, p.key, p.message]),
      [
        [0, 'GR999', 'unknown rule "GR999"'],
        [0, 'GR8*', '"GR8*" matches no rule'],
        [0, 'GR101', '"loud" is not one of error, warning, information, hint, off'],
        [1, 'no-such-rule', 'unknown rule "no-such-rule"'],
      ],
    );
    assert.equal(config.severities.get('GR101'), defaultOf('GR101'));
    assert.equal(config.severities.get('GR102'), 'warning', 'warn is accepted for warning');
    assert.equal(config.severities.get('GR209'), 'information');
  });

  it('leaves the defaults alone without settings', () => {
    const { config } = resolveConfig(catalog);
    for (const rule of catalog) assert.equal(config.severities.get(rule.meta.code), rule.meta.severity);
  });
});

describe('deferredToGopls and globs', () => {
  it('only a code or a name is explicit: a glob, a phase or all covering a rule still leaves it to gopls', () => {
    const overrides = { concurrency: 'error', 'GR30?': 'error', all: 'warning', 'lost-cancel': 'hint' };
    const { config } = resolveConfig(catalog, overrides);
    const deferred = deferredToGopls(catalog, config, overrides);
    assert.equal(deferred.severities.get('GR205'), 'off', 'named by a phase only');
    assert.equal(deferred.severities.get('GR303'), 'off', 'named by a glob only');
    assert.equal(deferred.severities.get('GR209'), 'hint', 'named by its name');
    assert.equal(deferred.severities.get('GR201'), 'error', 'rules gopls does not report are untouched');
  });
});
