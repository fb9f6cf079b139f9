// One fuzz run of one seed: a corpus file (sometimes converted to CRLF), a parse budget, and
// episodes of random events (test/helpers/randomEdits.ts) applied through a ServerSession, each
// checked as it is applied. Everything is derived from the seed, so a seed replays its run (with
// the server's own, timing-dependent, parse budget only approximately).
import type { LspChange } from '../helpers/naiveText';
import { randomEpisode, type EpisodeTarget } from '../helpers/randomEdits';
import { createRng, type Rng } from '../helpers/random';
import type { Corpus } from './corpus';
import { PARSE_BUDGETS, type AfterEvent, type Divergence, type FuzzCase, type FuzzEvent } from './fuzzCase';
import { ServerSession, SessionStats, type FuzzTools } from './serverSession';

export interface SeedRun {
  seed: number;
  fuzzCase: FuzzCase;
  divergence?: Divergence;
  stats: SessionStats;
}

/** Stops an episode at the first divergence. */
class Stop extends Error {}

/**
 * What the server does after an event. Pauses are frequent, as in typing: an unsettled tree and
 * what is published for it are compared with fresh ones only once settled.
 */
function afterEvent(rng: Rng): AfterEvent | undefined {
  const r = rng.next();
  if (r < 0.25) return 'settle';
  if (r < 0.33) return 'read';
  if (r < 0.43) return 'queued';
  return undefined;
}

/** Runs one seed: about `events` events (an episode may end a little later). */
export function runSeed(tools: FuzzTools, corpus: Corpus, seed: number, events: number): SeedRun {
  const rng = createRng(seed);
  const file = corpus.pick(rng);
  const crlf = rng.chance(0.15);
  const original = corpus.read(file);
  const text = crlf ? original.replace(/\r?\n/g, '\r\n') : original;
  const fuzzCase: FuzzCase = {
    source: `${file.path}${crlf ? ' (CRLF)' : ''}`,
    path: file.path,
    ...(file.goVersion ? { goVersion: file.goVersion } : {}),
    noGoMod: file.noGoMod,
    parseBudget: rng.pick(PARSE_BUDGETS),
    text,
    events: [],
  };
  const session = new ServerSession(tools, fuzzCase);
  let divergence: Divergence | undefined;
  const target: EpisodeTarget = {
    get text() {
      return session.text;
    },
    clean: () => session.clean,
    apply: (_kind: string, changes: LspChange[]) => {
      const then = afterEvent(rng);
      const event: FuzzEvent = then ? { changes, then } : { changes };
      fuzzCase.events.push(event);
      divergence = session.apply(event);
      if (divergence) throw new Stop();
    },
  };
  try {
    divergence = session.open();
    while (!divergence && fuzzCase.events.length < events) randomEpisode(rng, target);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
  } finally {
    session.dispose();
  }
  return { seed, fuzzCase, stats: session.stats, ...(divergence ? { divergence } : {}) };
}
