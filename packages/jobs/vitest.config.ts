import { calsyncProject } from '@calsync/test-support';

export default calsyncProject('jobs');
