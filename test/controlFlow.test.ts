// The control-flow view (engine/controlFlow.ts) on its own: from the statement `ctx, cancel :=
// start()`, which exits are reached without a use of `cancel`. Each case marks the expected exits
// with `// exit` (returns) and, when falling off the end of the function is one, `// end` on the
// closing brace.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { uncoveredExitsAfter, usesName } from '../server/src/engine/controlFlow';
import { walkDescendants } from '../server/src/engine/syntax';
import { sharedParser } from './helpers/engine';

/** The expected and the reported exits of one case, as 1-based line numbers. */
async function exitsOf(body: string): Promise<{ expected: number[]; got: number[] | undefined }> {
  const text = `package p\n\n${body}\n`;
  const tree = (await sharedParser()).parse(text)!;
  try {
    let start: Node | undefined;
    walkDescendants(tree.rootNode, (n) => {
      if (start) return false;
      if (n.type === 'short_var_declaration' && n.text.includes('start()')) start = n;
    });
    assert.ok(start, 'no start statement');
    const lines = text.split('\n');
    const expected = lines.flatMap((l, i) => (/\/\/ (exit|end)\b/.test(l) ? [i + 1] : []));
    const exits = uncoveredExitsAfter(start, usesName('cancel'));
    // A function body stands for its end: its closing brace's line.
    const got = exits?.map((e) => (e.type === 'block' ? e.endPosition.row : e.startPosition.row) + 1);
    return { expected, got };
  } finally {
    tree.delete();
  }
}

const CASES: Record<string, string> = {
  'a deferred cancel covers every path': `func f(x int) error {
	ctx, cancel := start()
	defer cancel()
	if x > 0 {
		return nil
	}
	return use(ctx)
}`,
  'a return before the cancel leaks': `func f(x int) error {
	ctx, cancel := start()
	if err := check(ctx); err != nil {
		return err // exit
	}
	defer cancel()
	return use(ctx)
}`,
  'never used: every return, and the end of a function without results': `func f(x int) {
	ctx, cancel := start()
	if x > 0 {
		return // exit
	}
	use(ctx)
} // end`,
  'a function with results cannot fall off its end': `func f(x int) int {
	_, cancel := start()
	for {
		if x > 0 {
			return 1 // exit
		}
	}
}`,
  'else branches, else-if chains and a covering branch': `func f(x int) error {
	ctx, cancel := start()
	if x > 0 {
		cancel()
		return nil
	} else if x < 0 {
		return errNeg // exit
	} else {
		panic("zero")
	}
	cancel()
	return use(ctx)
}`,
  'a switch without a default goes on after it': `func f(x int) error {
	ctx, cancel := start()
	switch x {
	case 1:
		cancel()
		return nil
	case 2:
		break
	}
	return use(ctx) // exit
}`,
  'a switch with a default whose every case covers or ends': `func f(x int) error {
	ctx, cancel := start()
	switch x {
	case 1:
		cancel()
	default:
		defer cancel()
	}
	return use(ctx)
}`,
  'select cases, and a case whose communication uses it': `func f(done chan func()) error {
	ctx, cancel := start()
	select {
	case done <- cancel:
		return nil
	case <-ctx.Done():
		return ctx.Err() // exit
	}
}`,
  'a loop may not run: the return after it is reached': `func f(items []int) error {
	ctx, cancel := start()
	for _, it := range items {
		if it == 0 {
			return errZero // exit
		}
		cancel()
	}
	return nil // exit
}`,
  'break leaves an endless loop, continue goes round again': `func f(items chan int) error {
	ctx, cancel := start()
	for {
		v := <-items
		if v == 0 {
			continue
		}
		if v < 0 {
			break
		}
		cancel()
		return nil
	}
	return use(ctx) // exit
}`,
  'inside a loop body, continue leads out to what follows the loop': `func f(items []int) error {
	for _, it := range items {
		ctx, cancel := start()
		if it == 0 {
			continue
		}
		use(ctx)
		cancel()
	}
	return nil // exit
}`,
  'returning the cancel function hands it over': `func f() (context.Context, context.CancelFunc, error) {
	ctx, cancel := start()
	if bad() {
		return nil, nil, errBad // exit
	}
	return ctx, cancel, nil
}`,
  "a closure that calls it covers; its own returns are not the function's": `func f() error {
	ctx, cancel := start()
	go func() {
		<-stop
		cancel()
		return
	}()
	return use(ctx)
}`,
  'program-ending calls end the path': `func f(t *testing.T) {
	ctx, cancel := start()
	if bad() {
		t.Fatal("bad")
	}
	if worse() {
		log.Fatalf("worse")
	}
	if worst() {
		os.Exit(1)
	}
	defer cancel()
	use(ctx)
}`,
  'a labeled loop and a bare block': `func f(rows [][]int) error {
	ctx, cancel := start()
outer:
	for _, row := range rows {
		for _, v := range row {
			if v < 0 {
				break outer
			}
		}
	}
	{
		if len(rows) == 0 {
			return nil // exit
		}
	}
	cancel()
	return use(ctx)
}`,
  'a select with no case never goes on': `func f() error {
	_, cancel := start()
	select {}
}`,
};

describe('control-flow view: exits reachable without covering', () => {
  for (const [name, body] of Object.entries(CASES)) {
    it(name, async () => {
      const { expected, got } = await exitsOf(body);
      assert.deepEqual(got, expected);
    });
  }

  it('gives no answer for code nested deeper than it follows, without overflowing the stack', async () => {
    const depth = 3000;
    const body = `func f() error {\n\t_, cancel := start()\n${'if x {\n'.repeat(depth)}return nil\n${'}\n'.repeat(depth)}\tcancel()\n\treturn nil\n}`;
    const { got } = await exitsOf(body);
    assert.equal(got, undefined);
  });

  it('starts from a statement nested deep in the function, climbing out level by level', async () => {
    const body = `func f() error {\n${'if x {\n'.repeat(20)}_, cancel := start()\nif y {\nreturn nil // exit\n}\n${'}\n'.repeat(20)}\treturn nil // exit\n}`;
    const { expected, got } = await exitsOf(body);
    assert.deepEqual(got, expected);
  });
});
