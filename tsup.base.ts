import { defineConfig, type Options } from 'tsup';

/** The build every package shares (ESM for Node 20, with types); only the entry points differ. */
export function packageBuild(entry: Options['entry'], extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    clean: true,
    sourcemap: true,
    // tsup drops the `node:` prefix by default; keep the imports as written.
    removeNodeProtocol: false,
    ...extra,
  });
}
