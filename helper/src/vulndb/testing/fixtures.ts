/** Paths of the advisory fixtures (copied from the shared test data; see their SOURCE.md). */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const advisoryFixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'fixtures', 'advisories');
export const fixture = (name: string) => join(advisoryFixtures, name);

/** The per-CVE fixtures (NVD feeds, KEV catalogs, EPSS scores; see their SOURCE.md). */
export const cveDataFixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'fixtures', 'cve-data');
export const cveFixture = (name: string) => join(cveDataFixtures, name);
