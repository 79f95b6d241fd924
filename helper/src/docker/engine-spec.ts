/**
 * `--engine NAME=URL[,tls=DIR][,key=FILE]` (repeatable) and SHIPSHAPE_ENGINES="NAME=URL,…":
 * in the environment commas separate engines too, so a `tls=` or `key=` part belongs to the
 * engine before it.
 */
import { isAbsolute, resolve } from 'node:path';
import { ENGINE_NAME_PATTERN, ENGINE_NAME_RULE } from '@shipshape/shared/engine-name.ts';
import { EngineConfigError } from './target.ts';

export type EngineSpec = { name: string; url: string; tlsDir: string | null; keyFile: string | null };

const OPTION = /^(tls|key)=(.*)$/;

export function parseEngineSpecs(values: string[], where = '--engine'): EngineSpec[] {
  const specs: EngineSpec[] = [];
  for (const raw of values.flatMap((v) => v.split(','))) {
    const part = raw.trim();
    if (!part) continue;
    const option = OPTION.exec(part);
    if (option) {
      const current = specs.at(-1);
      if (!current) throw new EngineConfigError(`${where}: '${part}' must follow NAME=URL`);
      const [, key, value = ''] = option;
      if (!value) throw new EngineConfigError(`${where}: ${key}= needs a path`);
      const path = isAbsolute(value) ? value : resolve(value);
      if (key === 'tls') current.tlsDir = path;
      else current.keyFile = path;
      continue;
    }
    const eq = part.indexOf('=');
    if (eq <= 0) throw new EngineConfigError(`${where}: '${part}' is not NAME=URL (e.g. build=tcp://10.0.0.5:2376,tls=/etc/docker-certs)`);
    const name = part.slice(0, eq);
    if (!ENGINE_NAME_PATTERN.test(name)) throw new EngineConfigError(`${where}: engine name '${name}' ${ENGINE_NAME_RULE}`);
    specs.push({ name, url: part.slice(eq + 1), tlsDir: null, keyFile: null });
  }
  return specs;
}
