// Types of treeSitterMemory.mjs, for the tests that import it.
export function fastMemoryAccess(source: string): { code: string; count: number };
export function treeSitterMemoryPlugin(): { name: string; setup(build: unknown): void };
