import { after } from 'node:test';
import pg from 'pg';

/** The server the tests use; CI and the dev machines run PostgreSQL 15 there with trust auth. */
export const TEST_POSTGRES_URL = process.env.STEPWISE_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  /** A URL into the database; with `schema`, a store of its own in that schema. */
  url(schema?: string): string;
}

/**
 * A fresh database for this test file (`stepwise_test_<label>_<pid>`), dropped when the file ends; undefined (after
 * printing one line saying why the tests skip) when the server cannot be reached, unless STEPWISE_REQUIRE_SERVICES is set (CI).
 */
export async function createTestDatabase(label: string): Promise<TestDatabase | undefined> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    if (process.env.STEPWISE_REQUIRE_SERVICES) throw error;
    console.log(`# skipping the Postgres tests: no server at ${TEST_POSTGRES_URL} (${(error as Error).message})`);
    return undefined;
  }
  const name = `stepwise_test_${label}_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  after(async () => {
    const dropper = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await dropper.end();
  });
  return {
    name,
    url(schema) {
      const url = new URL(TEST_POSTGRES_URL);
      url.pathname = `/${name}`;
      if (schema !== undefined) url.searchParams.set('schema', schema);
      return url.toString();
    },
  };
}
