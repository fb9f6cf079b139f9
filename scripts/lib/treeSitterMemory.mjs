// An esbuild plugin that speeds up web-tree-sitter's node marshalling. Every node the engine reads
// (a child, a parent, a field) crosses into wasm through a transfer buffer, written and read with
// Emscripten's generic setValue/getValue helpers: each call tests its type string (`endsWith('*')`,
// a switch) and goes through a DataView. In the CLI that was 5% of the standard library's check
// (580 ms of 11.6 s in one thread). This rewrites the 32-bit calls into plain Int32Array accesses
// on the module's own HEAP32 view (kept current by Emscripten when the wasm memory grows), on
// little-endian machines; elsewhere the generic helper runs as before.
import { readFile } from 'node:fs/promises';

const LITTLE_ENDIAN = '__goRubricLittleEndian';
const PRELUDE = `var ${LITTLE_ENDIAN} = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;\n`;

// `C.getValue(<address>, "i32")` and `C.setValue(<address>, <value>, "i32")`, with arguments that
// hold no parentheses or commas (every call in web-tree-sitter 0.25-0.27 is of this form).
const GET = /\bC\.getValue\(([^(),]+), "i32"\)/g;
const SET = /\bC\.setValue\(([^(),]+), ([^(),]+), "i32"\)/g;

/** The source with its 32-bit transfer-buffer accesses rewritten, and how many were. */
export function fastMemoryAccess(source) {
  let count = 0;
  const out = source
    .replace(GET, (_, address) => {
      count++;
      return `(${LITTLE_ENDIAN} ? C.HEAP32[(${address}) >> 2] : C.getValue(${address}, "i32"))`;
    })
    .replace(SET, (_, address, value) => {
      count++;
      return `(${LITTLE_ENDIAN} ? (C.HEAP32[(${address}) >> 2] = ${value}) : C.setValue(${address}, ${value}, "i32"))`;
    });
  return { code: PRELUDE + out, count };
}

/** Applies fastMemoryAccess to web-tree-sitter's CommonJS build; fails the build if it found nothing to rewrite. */
export function treeSitterMemoryPlugin() {
  return {
    name: 'tree-sitter-fast-memory',
    setup(build) {
      build.onLoad({ filter: /web-tree-sitter[\\/]web-tree-sitter\.cjs$/ }, async (args) => {
        const { code, count } = fastMemoryAccess(await readFile(args.path, 'utf8'));
        if (count < 50) throw new Error(`web-tree-sitter changed: only ${count} transfer-buffer accesses rewritten (scripts/lib/treeSitterMemory.mjs)`);
        return { contents: code, loader: 'js' };
      });
    },
  };
}
