/** Runs once before all tests: nothing to prepare yet beyond a clear line about optional parts. */
export default function setup(): void {
  if (!process.env.ENTENTE_TEST_PG) {
    console.log('ENTENTE_TEST_PG is not set: the store contract suite runs on SQLite only (CI sets it).');
  }
}
