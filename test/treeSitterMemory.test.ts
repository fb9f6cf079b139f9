// The build's rewrite of web-tree-sitter's transfer-buffer accesses (scripts/lib/treeSitterMemory.mjs):
// every 32-bit getValue/setValue call of the pinned web-tree-sitter becomes an Int32Array access
// on little-endian machines, with the same result and the argument evaluated once.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './helpers/goFiles';

/** The build script's module (ESM, loaded as the build loads it). */
const load = () => import('../scripts/lib/treeSitterMemory.mjs');

describe('web-tree-sitter transfer-buffer rewrite', () => {
  it('rewrites every 32-bit access of the pinned web-tree-sitter, and only those', async () => {
    const { fastMemoryAccess } = await load();
    const require = createRequire(join(repoRoot(), 'package.json'));
    const source = readFileSync(join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.cjs'), 'utf8');
    const calls = source.match(/\bC\.[sg]etValue\(/g)?.length ?? 0;
    const i16 = source.match(/\bC\.getValue\([^()]*, "i16"\)/g)?.length ?? 0;
    const { code, count } = fastMemoryAccess(source);
    assert.equal(count, calls - i16, 'every i32 call rewritten');
    assert.ok(count >= 50);
    // Each rewritten call keeps the generic helper as its fallback, so the calls remain, each behind the test.
    assert.equal(code.match(/__goRubricLittleEndian \? \(?C\.HEAP32\[/g)?.length, count);
  });

  it('reads and writes what the generic helpers would, evaluating the address once', async () => {
    const { fastMemoryAccess } = await load();
    const { code } = fastMemoryAccess('var out = []; var address = 4; C.setValue(address, 7, "i32"); out.push(C.getValue(address += 4, "i32"), address);');
    const memory = new Int32Array(4);
    memory[2] = 9;
    const C = { HEAP32: memory, getValue: () => assert.fail('generic getValue'), setValue: () => assert.fail('generic setValue') };
    const out = new Function('C', `${code}; return out;`)(C) as number[];
    assert.equal(memory[1], 7);
    assert.deepEqual(out, [9, 8]);
  });
});
