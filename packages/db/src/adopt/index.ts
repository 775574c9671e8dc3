export { adoptOriginalTables, planAdoption } from './adopt.ts';
export { AdoptionError } from './original-tables.ts';
export { type AdoptionReject, type AdoptionReport, formatAdoptionReport, type TableAdoption } from './report.ts';
