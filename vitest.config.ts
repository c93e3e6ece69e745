// One test run for the whole monorepo.
//
// Projects split the suite by what it needs: schedule-core is pure and runs twice,
// under two host time zones, to prove its results never depend on the host's zone;
// pure app tests (apps/*/test/unit) need no database; everything that touches SQL shares one Postgres started by the global setup
// (embedded, unless DATABASE_URL points at a server) and gets a fresh database per
// test file, cloned from a migrated template.
import { defineConfig } from 'vitest/config';

const pureZones = ['America/New_York', 'Asia/Kolkata'];

export default defineConfig({
  test: {
    projects: [
      ...pureZones.map((tz) => ({
        test: {
          name: `schedule-core TZ=${tz}`,
          include: ['packages/schedule-core/test/**/*.test.ts'],
          env: { TZ: tz },
        },
      })),
      {
        test: {
          name: 'unit',
          include: ['packages/runtime/test/**/*.test.ts', 'packages/contract/test/**/*.test.ts', 'packages/providers/test/**/*.test.ts', 'apps/*/test/unit/**/*.test.ts', 'scripts/chaos/test/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'db-backed',
          include: ['packages/db/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
          exclude: ['apps/*/test/unit/**', '**/node_modules/**'],
          globalSetup: ['packages/db/src/testing/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: { TZ: 'America/New_York' },
        },
      },
    ],
  },
});
