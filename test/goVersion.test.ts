// go.mod awareness: the `go` directive, version comparisons, and finding the go.mod that governs a
// file (the nearest one in its folder or above), as the CLI, the server and the fixtures use it.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GoModLocator } from '../server/src/analysis/goModLocator';
import { goAtLeast, goDirective, moduleDirective } from '../server/src/engine/goVersion';

describe('go versions', () => {
  it('reads the go directive', () => {
    assert.equal(goDirective('module example.com/m\n\ngo 1.21\n'), '1.21');
    assert.equal(goDirective('module m\r\ngo 1.22.3\r\n'), '1.22.3');
    assert.equal(goDirective('module m\ngo 1.21 // the minimum\n'), '1.21');
    assert.equal(goDirective('module m\ngo 1.23rc1\n'), '1.23rc1');
    assert.equal(goDirective('module m\n// go 1.99\ntoolchain go1.22.0\n'), undefined);
    assert.equal(goDirective('module m\ngo banana\n'), undefined);
    assert.equal(goDirective(''), undefined);
  });

  it('reads the module directive', () => {
    assert.equal(moduleDirective('module example.com/m\n\ngo 1.21\n'), 'example.com/m');
    assert.equal(moduleDirective('// a comment\r\nmodule "example.com/quoted" // why\r\n'), 'example.com/quoted');
    assert.equal(moduleDirective('go 1.21\n// module example.com/not\n'), undefined);
    assert.equal(moduleDirective(''), undefined);
  });

  it('compares language versions', () => {
    assert.ok(goAtLeast('1.18', '1.18'));
    assert.ok(goAtLeast('1.21.3', '1.18'));
    assert.ok(goAtLeast('1.22rc1', '1.22'));
    assert.ok(!goAtLeast('1.17', '1.18'));
    assert.ok(!goAtLeast('1.9', '1.18'), 'minor versions compare as numbers');
    assert.ok(goAtLeast('2.0', '1.22'));
  });
});

describe('GoModLocator', () => {
  it('finds the nearest go.mod above a file and re-reads after clear()', () => {
    const root = mkdtempSync(join(tmpdir(), 'gorubric-gomod-'));
    try {
      mkdirSync(join(root, 'a', 'b', 'c'), { recursive: true });
      mkdirSync(join(root, 'a', 'nested', 'pkg'), { recursive: true });
      writeFileSync(join(root, 'a', 'go.mod'), 'module example.com/a\n\ngo 1.17\n');
      writeFileSync(join(root, 'a', 'nested', 'go.mod'), 'module example.com/nested\n\ngo 1.22\n');
      const locator = new GoModLocator();
      assert.equal(locator.goModFor(join(root, 'a', 'b', 'c', 'x.go')), join(root, 'a', 'go.mod'));
      assert.equal(locator.goVersionFor(join(root, 'a', 'b', 'c', 'x.go')), '1.17');
      assert.equal(locator.goVersionFor(join(root, 'a', 'b', 'y.go')), '1.17', 'from the folder cache');
      assert.equal(locator.goVersionFor(join(root, 'a', 'nested', 'pkg', 'z.go')), '1.22', 'the nearest module wins');
      assert.equal(locator.goModFor(join(root, 'outside.go')), undefined);
      assert.deepEqual(locator.moduleFor(join(root, 'a', 'nested', 'pkg', 'z.go')), { path: 'example.com/nested', dir: join(root, 'a', 'nested') });
      assert.equal(locator.moduleFor(join(root, 'outside.go')), undefined);
      writeFileSync(join(root, 'a', 'go.mod'), 'module example.com/a\n\ngo 1.21\n');
      assert.equal(locator.goVersionFor(join(root, 'a', 'b', 'c', 'x.go')), '1.17', 'cached until cleared');
      locator.clear();
      assert.equal(locator.goVersionFor(join(root, 'a', 'b', 'c', 'x.go')), '1.21');
      writeFileSync(join(root, 'a', 'b', 'go.mod'), 'module example.com/b\n');
      locator.clear();
      assert.equal(locator.goModFor(join(root, 'a', 'b', 'c', 'x.go')), join(root, 'a', 'b', 'go.mod'));
      assert.equal(locator.goVersionFor(join(root, 'a', 'b', 'c', 'x.go')), undefined, 'a go.mod without a go directive');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
