// Findings that must come without a fix: where applying it would be wrong (a name it would
// refer to is taken, in the file or in its package; the module's go version lacks what it writes;
// gofmt would re-align the block).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeText } from '../server/src/analysis/analyzer';
import { GoModLocator } from '../server/src/analysis/goModLocator';
import { DiskPackages } from '../server/src/analysis/packageIndex';
import { config, engine, sharedParser } from './helpers/engine';

const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');
const CASES: [code: string, file: string][] = [
  ['GR102', 'collision/save.go'],
  ['GR105', 'collision/scan.go'],
  ['GR105', 'pkgerrors.go'],
  ['GR105', 'shadowed.go'],
  ['GR105', 'switch.go'],
  ['GR106', 'collision/scan.go'],
  ['GR106', 'nofix.go'],
  ['GR106', 'pkgerrors.go'],
  ['GR107', 'nofix.go'],
  ['GR111', 'aligned.go'],
  ['GR111', 'shadow.go'],
];

describe('findings offered without a fix', () => {
  const goMod = new GoModLocator();
  // Each fixture sees its folder's other files as its package, as the CLI does (collision/: a name the import would take).
  const packages = new DiskPackages();
  for (const [code, file] of CASES) {
    it(`${code} ${file}`, async () => {
      const path = join(FIXTURES, code, file);
      const result = analyzeText(await sharedParser(), engine, config, readFileSync(path, 'utf8'), path, goMod.goVersionFor(path), packages);
      const findings = result.findings.filter((f) => f.code === code);
      assert.ok(findings.length > 0, 'the fixture has findings');
      assert.deepEqual(findings.filter((f) => f.fix).map((f) => f.message), []);
    });
  }
});
