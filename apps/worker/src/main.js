import { prepareFastStart } from '@calsync/service-kit/fast-start';

// Entry point of the worker, in plain JavaScript. Start-up speed matters (Cal.com's deliveries are refused, and never
// resent, while the process is not listening): Node's compile cache and the resolve shortcut must be on before the
// process's TypeScript loads (then Node need not load its TypeScript stripper at all), hence this file and the
// dynamic import of the process itself (start.ts).
prepareFastStart();
await import('./start.ts');
