import { packageBuild } from '../tsup.base';

/**
 * Dependencies stay external (tsup reads them from package.json, workspace packages
 * included), so the built kernel and the plugins share one copy of the SDK. The kernel's
 * migrations and the default config live outside `src` and are bundled in. `src/bin.ts`
 * starts with `#!/usr/bin/env node`, which esbuild keeps and tsup marks executable.
 */
export default packageBuild({ index: 'src/index.ts', bin: 'src/bin.ts' }, { dts: { entry: { index: 'src/index.ts' } } });
