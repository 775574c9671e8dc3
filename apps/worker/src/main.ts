import { prepareFastStart } from '@calsync/service-kit/fast-start';

// Entry point of the worker. Start-up speed matters (Cal.com's deliveries are refused, and never resent, while the
// process is not listening): the compile cache and the resolve shortcut must be in place before the process's
// modules load, hence this file and the dynamic import of the process itself (start.ts).
prepareFastStart();
await import('./start.ts');
