/** The helper's version, from helper/package.json. */
import { readFileSync } from 'node:fs';

export const HELPER_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
