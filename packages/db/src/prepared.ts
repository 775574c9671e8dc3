import { queryRows } from './query.ts';

/** @deprecated `queryRows`, which runs every statement prepared: one round trip. */
export const executePrepared = queryRows;
