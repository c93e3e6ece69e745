// @wakeplan/db: the database side shared by api, worker and cli.
export * from './client.ts';
export * from './errors.ts';
export * from './migrate.ts';
export * from './database.ts';
export * from './notify.ts';
export * from './rows.ts';
export * from './plan-snapshot.ts';
export * from './plan-input.ts';
export * from './outcomes.ts';
