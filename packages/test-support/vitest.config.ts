import { calsyncProject } from './src/project.ts';

export default calsyncProject('test-support');
