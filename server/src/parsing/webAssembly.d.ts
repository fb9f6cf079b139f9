// The part of the WebAssembly JavaScript API the server uses. Node has it all, but TypeScript
// declares it only in its DOM and web-worker libraries, which would bring browser globals
// (window, document) into server code; tsconfig.json's lib is ES2022 alone.
declare namespace WebAssembly {
  interface Module {
    readonly __brand?: 'WebAssembly.Module';
  }
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  type Imports = Record<string, Record<string, unknown>>;
  function compile(bytes: Uint8Array): Promise<Module>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}
