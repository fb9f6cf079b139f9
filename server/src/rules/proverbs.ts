// Proverbs and guides the hovers quote, with their links. Shared so each rule names one.
import type { Proverb } from '../engine/types';

const GO_PROVERBS = 'https://go-proverbs.github.io';
const EFFECTIVE_GO = 'https://go.dev/doc/effective_go';
const REVIEW_COMMENTS = 'https://go.dev/wiki/CodeReviewComments';
const ERRORS_BLOG = 'https://go.dev/blog/go1.13-errors';

export const proverbs = {
  handleErrorsGracefully: {
    text: "Don't just check errors, handle them gracefully.",
    source: 'Go Proverbs',
    url: GO_PROVERBS,
  },
  errorsAreValues: { text: 'Errors are values.', source: 'Go Proverbs', url: GO_PROVERBS },
  wrapWithW: {
    text: 'Wrap an error with %w to add context while keeping the original inspectable with errors.Is and errors.As.',
    source: 'The Go Blog: Working with Errors in Go 1.13',
    url: ERRORS_BLOG,
  },
  deferUnlock: {
    text: 'Deferring the Unlock guarantees the mutex is released on every path out of the function, returns and panics included.',
    source: 'Effective Go: Defer',
    url: `${EFFECTIVE_GO}#defer`,
  },
  channelsOrchestrate: { text: 'Channels orchestrate; mutexes serialize.', source: 'Go Proverbs', url: GO_PROVERBS },
  clearIsBetter: { text: 'Clear is better than clever.', source: 'Go Proverbs', url: GO_PROVERBS },
} satisfies Record<string, Proverb>;

export const links = {
  goProverbs: GO_PROVERBS,
  effectiveGo: EFFECTIVE_GO,
  reviewComments: REVIEW_COMMENTS,
  errorsBlog: ERRORS_BLOG,
};
