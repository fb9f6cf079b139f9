// Rule fixtures: test/fixtures/rules/<CODE>/*.go, annotated with `// want "regexp"` on every line
// where the rule must report; a file without any want asserts the rule stays quiet on it.
// Fix fixtures: test/fixtures/rules/<CODE>/*.go.golden next to a .go file hold the text after
// applying every fix the rule offers in that file. Every fixture also runs with CRLF line breaks:
// the same findings on the same lines, and fixes that keep the CRLF breaks. A subfolder with a
// go.mod (test/fixtures/rules/<CODE>/go1.17/go.mod) holds fixtures for that module's go version:
// the version gates are tested through the real go.mod lookup (and GR001 through its absence:
// the repository has no go.mod above the fixtures).
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeText, applyFixes } from '../server/src/analysis/analyzer';
import { GoModLocator } from '../server/src/analysis/goModLocator';
import { DiskPackages } from '../server/src/analysis/packageIndex';
import { allRules, directiveRules } from '../server/src/rules';

/** Every rule with fixtures: the engine's, and the directive rules it runs after suppression. */
const fixtureRules = [...allRules, ...directiveRules];
import { config, engine, sharedParser } from './helpers/engine';
import { compareWants, readWants } from './helpers/want';

const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');
const goMod = new GoModLocator();
// Each fixture sees its folder's other files as its package, as the CLI does: cross-file cases
// live in a subfolder of their own, and files of one folder with different package clauses stay apart.
const packages = new DiskPackages();

/** A rule's fixture files: its folder's .go files, then those of its subfolders ("sub/name.go"). */
function fixtureNames(dir: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isFile() && entry.name.endsWith('.go')) names.push(entry.name);
    else if (entry.isDirectory()) {
      for (const name of readdirSync(join(dir, entry.name)).filter((f) => f.endsWith('.go')).sort()) names.push(`${entry.name}/${name}`);
    }
  }
  return names;
}

describe('rule fixtures', () => {
  it('every rule has a fixture folder with flagged and clean cases', () => {
    for (const rule of fixtureRules) {
      const dir = join(FIXTURES, rule.meta.code);
      assert.ok(existsSync(dir), `missing ${dir}`);
      const files = fixtureNames(dir);
      const texts = files.map((f) => readFileSync(join(dir, f), 'utf8'));
      assert.ok(texts.some((t) => readWants(t).length > 0), `${rule.meta.code}: no fixture expects a finding`);
      assert.ok(texts.some((t) => readWants(t).length === 0), `${rule.meta.code}: no clean fixture`);
      if (rule.meta.fixable) {
        assert.ok(files.some((f) => existsSync(join(dir, `${f}.golden`))), `${rule.meta.code}: fixable but no .golden`);
      }
    }
  });

  for (const rule of fixtureRules) {
    const dir = join(FIXTURES, rule.meta.code);
    if (!existsSync(dir)) continue;
    describe(`${rule.meta.code} ${rule.meta.name}`, () => {
      for (const name of fixtureNames(dir)) {
        const path = join(dir, name);
        const golden = `${path}.golden`;
        for (const crlf of [false, true]) {
          const read = (file: string) => {
            const text = readFileSync(file, 'utf8');
            return crlf ? text.replace(/\r?\n/g, '\r\n') : text;
          };
          const label = crlf ? `${name} (CRLF)` : name;
          it(label, async () => {
            const text = read(path);
            const parser = await sharedParser();
            const result = analyzeText(parser, engine, config, text, path, goMod.goVersionFor(path), packages, goMod.goModFor(path) === undefined);
            assert.deepEqual(result.failures, [], 'a rule threw');
            const got = result.findings
              .filter((f) => f.code === rule.meta.code)
              .map((f) => ({ line: result.lineIndex.positionAt(f.start).line, message: f.message }));
            const problems = compareWants(readWants(text), got);
            assert.deepEqual(problems, [], problems.join('\n'));
          });
          if (existsSync(golden)) {
            it(`${label} fixes to ${name}.golden`, async () => {
              const parser = await sharedParser();
              const fixed = applyFixes(parser, engine, config, read(path), path, (f) => f.code === rule.meta.code, goMod.goVersionFor(path), packages);
              assert.ok(fixed.applied > 0, 'no fix was applied');
              assert.equal(fixed.text, read(golden));
            });
          }
        }
      }
    });
  }
});

describe('per-finding severities', () => {
  /** "line severity" (1-based) for each finding of `code` in a fixture file. */
  async function severities(code: string, fixture: string): Promise<string[]> {
    const text = readFileSync(join(FIXTURES, code, fixture), 'utf8');
    const result = analyzeText(await sharedParser(), engine, config, text, `/w/${code}/${fixture}`);
    return result.findings.filter((f) => f.code === code).map((f) => `${result.lineIndex.positionAt(f.start).line + 1} ${f.severity}`);
  }

  it("GR105: the package's own sentinels and io.EOF from a helper at information, another package's sentinel at warning", async () => {
    assert.deepEqual(await severities('GR105', 'lesser.go'), ['20 information', '20 information', '26 information', '30 information', '38 information', '47 warning']);
  });

  it("GR106: the package's own error types at information, another package's at warning", async () => {
    assert.deepEqual(await severities('GR106', 'own.go'), ['26 information', '29 information', '37 information', '42 warning']);
  });

  it('GR103 and GR104: information, and hints in _test.go files and for deferred and go calls', async () => {
    assert.deepEqual(await severities('GR103', 'cleanup_test.go'), ['10 hint']);
    assert.deepEqual(await severities('GR104', 'setup_test.go'), ['10 hint']);
    assert.deepEqual(await severities('GR104', 'deferred.go'), ['7 hint', '8 hint', '9 hint', '11 hint', '13 hint', '19 information']);
    const flagged = [...(await severities('GR103', 'flagged.go')), ...(await severities('GR104', 'flagged.go'))];
    assert.ok(flagged.length > 0 && flagged.every((s) => s.endsWith(' information')), flagged.join(', '));
  });

  it('GR109: an error from a call handed to panic at information, any other library panic as a hint', async () => {
    const flagged = await severities('GR109', 'flagged.go');
    assert.ok(flagged.length > 0 && flagged.every((s) => s.endsWith(' information')), flagged.join(', '));
    assert.deepEqual(await severities('GR109', 'hints.go'), ['11 hint', '15 hint', '19 hint', '46 hint']);
  });
});
