import { packageBuild } from '../../tsup.base';

export default packageBuild({ plugin: 'src/plugin.ts' });
