// Replays the fuzzer's regression cases (test/fixtures/fuzz/*.json, written by `npm run fuzz` when
// it finds a divergence, shrunk): each edit sequence goes through the server's document store and
// engine again, checked after every event against a fresh parse and analysis
// (test/fuzz/serverSession.ts). Each case runs under its recorded parse budget and the other two:
// a bug found with every parse cut off may come back through the complete parses.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PARSE_BUDGETS, readRegressionCases, REGRESSION_DIR } from './fuzz/fuzzCase';
import { createTools, describeEvents, disposeTools, runCase, type FuzzTools } from './fuzz/serverSession';
import { repoRoot } from './helpers/goFiles';

const cases = readRegressionCases(join(repoRoot(), REGRESSION_DIR));

describe('fuzz regression cases (test/fixtures/fuzz)', () => {
  let tools: FuzzTools;
  before(async () => {
    tools = await createTools();
  });
  after(() => disposeTools(tools));

  it('has cases to replay', () => {
    assert.ok(cases.length > 0, `${REGRESSION_DIR} should hold the regression cases the fuzzer saved`);
  });

  for (const { name, regression } of cases) {
    const recorded = regression.case.parseBudget;
    for (const parseBudget of [recorded, ...PARSE_BUDGETS.filter((b) => b !== recorded)]) {
      it(`${name}, parse budget ${parseBudget}${parseBudget === recorded ? ' (as found)' : ''}`, () => {
        const fuzzCase = { ...regression.case, parseBudget };
        const divergence = runCase(tools, fuzzCase);
        assert.equal(
          divergence,
          undefined,
          `${divergence?.message}\nfound: ${regression.found}\nthen: ${regression.divergence.message}\nstart text: ${JSON.stringify(fuzzCase.text)}\nevents:\n${describeEvents(fuzzCase.events)}`,
        );
      });
    }
  }
});
