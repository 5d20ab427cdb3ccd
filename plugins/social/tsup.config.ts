import { packageBuild } from '../../tsup.base';

export default packageBuild({ plugin: 'src/plugin.ts', contracts: 'src/contracts.ts', testing: 'src/testing/index.ts' });
