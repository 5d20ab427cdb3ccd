import { defineConfig } from 'tsup';

/**
 * Dependencies stay external (tsup reads them from package.json, workspace packages
 * included), so the built kernel and the plugins share one copy of the SDK. The kernel's
 * migrations and the default config live outside `src` and are bundled in. `src/bin.ts`
 * starts with `#!/usr/bin/env node`, which esbuild keeps and tsup marks executable.
 */
export default defineConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  removeNodeProtocol: false,
});
