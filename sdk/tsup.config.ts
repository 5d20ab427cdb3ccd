import { packageBuild } from '../tsup.base';

export default packageBuild({ index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' });
