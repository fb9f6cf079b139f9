// goRubric.deferToGopls: the client's resolution of "auto" (client/src/goplsPresence.ts) and the
// server's turning off of the rules gopls already covers (engine/config.ts deferredToGopls).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { resolveDeferToGopls, withDeferResolved } from '../client/src/goplsPresence';
import { deferredToGopls, resolveConfig } from '../server/src/engine/config';
import { allRules } from '../server/src/rules';

describe('goRubric.deferToGopls', () => {
  it('"auto" is on exactly when the Go extension is enabled and runs gopls', () => {
    assert.equal(resolveDeferToGopls('auto', true, undefined), 'on', 'go.useLanguageServer defaults to true');
    assert.equal(resolveDeferToGopls('auto', true, true), 'on');
    assert.equal(resolveDeferToGopls('auto', true, false), 'off', 'the Go extension without gopls reports no vet findings');
    assert.equal(resolveDeferToGopls('auto', false, true), 'off');
    assert.equal(resolveDeferToGopls(undefined, true, undefined), 'on', 'unset means auto');
  });

  it('"on" and "off" are taken as they are, booleans too', () => {
    assert.equal(resolveDeferToGopls('on', false, false), 'on');
    assert.equal(resolveDeferToGopls(true, false, false), 'on');
    assert.equal(resolveDeferToGopls('off', true, true), 'off');
    assert.equal(resolveDeferToGopls(false, true, true), 'off');
  });

  it('rewrites only goRubric sections of a configuration answer', () => {
    assert.deepEqual(withDeferResolved({ enable: true, rules: {} }, true, undefined), { enable: true, rules: {}, deferToGopls: 'on' });
    assert.equal(withDeferResolved(null, true, undefined), null);
    assert.deepEqual(withDeferResolved(['x'], true, undefined), ['x']);
  });

  it('turns off the rules with a gopls analyzer, unless the user gave them a severity', () => {
    const duplicates = allRules.filter((r) => r.meta.goplsAnalyzer).map((r) => r.meta.code);
    assert.deepEqual(duplicates, ['GR205', 'GR209', 'GR215', 'GR216', 'GR303']);
    const overrides = { 'signal-unbuffered': 'error', GR101: 'off' };
    const { config } = resolveConfig(allRules, overrides);
    const deferred = deferredToGopls(allRules, config, overrides);
    assert.equal(deferred.severities.get('GR209'), 'off');
    assert.equal(deferred.severities.get('GR216'), 'error', 'named explicitly: it runs anyway');
    assert.equal(deferred.severities.get('GR101'), 'off');
    assert.equal(deferred.severities.get('GR201'), config.severities.get('GR201'), 'other rules unchanged');
    assert.equal(config.severities.get('GR209'), 'warning', 'the original config is left as it was');
  });
});
