export { loadWorkerEnv, type WorkerEnv, workerEnvShape } from './env.ts';
export { type RunningWorker, startWorker, type WorkerDeps } from './start-worker.ts';
