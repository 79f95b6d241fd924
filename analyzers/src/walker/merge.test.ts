import { describe, expect, it } from 'vitest';
import type { Finding } from '../analyzer.ts';
import type { LayerResult } from './layer-result.ts';
import { mergeLayers } from './merge.ts';
import { PathSet } from './path-set.ts';

const pkg = (path: string, name: string, version: string): Finding => ({
  kind: 'package',
  path,
  package: { ecosystem: 'npm', name, version, sourceName: null, sourceVersion: null, purl: `pkg:npm/${name}@${version}` },
});
const secret = (path: string): Finding => ({
  kind: 'sensitive',
  path,
  finding: { ruleId: 'r', name: 'n', type: 'token', severity: 'high', path, line: 1, match: 'x***', recommendation: '' },
});
const layer = (result: Partial<Omit<LayerResult, 'writtenPaths'>> & { paths?: string[] }, n: number) => ({
  ref: { diffId: `sha256:${n}`, createdBy: `step ${n}` },
  result: { findings: [], whiteouts: [], opaqueDirs: [], notes: [], ...result, writtenPaths: PathSet.encode(result.paths ?? []) } as LayerResult,
});
const summary = (layers: ReturnType<typeof layer>[]) => mergeLayers(layers).packages.map((p) => `${p.name}@${p.version} from ${p.layer.createdBy}`);

describe('mergeLayers', () => {
  it('attributes a package to the first layer of the unbroken run that has it', () => {
    const m = '/app/node_modules/a/package.json';
    expect(
      summary([
        layer({ paths: [m], findings: [pkg(m, 'a', '1.0.0')] }, 0),
        layer({ paths: [m], findings: [pkg(m, 'a', '1.0.0')] }, 1), // touched (e.g. chmod), same version
        layer({ paths: ['/other'] }, 2),
      ]),
    ).toEqual(['a@1.0.0 from step 0']);
    expect(
      summary([
        layer({ paths: [m], findings: [pkg(m, 'a', '1.0.0')] }, 0),
        layer({ paths: [m], findings: [pkg(m, 'a', '2.0.0')] }, 1),
        layer({ paths: [m], findings: [pkg(m, 'a', '1.0.0')] }, 2), // downgraded back: a new introduction
      ]),
    ).toEqual(['a@1.0.0 from step 2']);
  });

  it('a directory replaced by a symlink or file hides what was below it', () => {
    const m = '/app/node_modules/a/package.json';
    expect(summary([layer({ paths: [m], findings: [pkg(m, 'a', '1.0.0')] }, 0), layer({ paths: ['/app/node_modules'] }, 1)])).toEqual([]);
  });

  it('a whiteout breaks the run even when the same file comes back', () => {
    const m = '/app/package.json';
    expect(
      summary([layer({ paths: [m], findings: [pkg(m, 'a', '1.0.0')] }, 0), layer({ whiteouts: ['/app'] }, 1), layer({ paths: [m], findings: [pkg(m, 'a', '1.0.0')] }, 2)]),
    ).toEqual(['a@1.0.0 from step 2']);
  });

  it('keeps secrets from overwritten and deleted files, marked not final', () => {
    const merged = mergeLayers([
      layer({ paths: ['/a', '/b', '/c/d'], findings: [secret('/a'), secret('/b'), secret('/c/d')] }, 0),
      layer({ paths: ['/a'], opaqueDirs: ['/c'] }, 1),
    ]);
    expect(merged.sensitive.map((s) => `${s.path} ${s.inFinalFilesystem} ${s.layer?.createdBy}`)).toEqual(['/a false step 0', '/b true step 0', '/c/d false step 0']);
  });

  it('picks the highest-priority OS claim still present', () => {
    const os = (path: string, family: string, version: string, priority: number): Finding => ({ kind: 'os', path, os: { family, version }, priority });
    const merged = mergeLayers([
      layer({ paths: ['/etc/os-release', '/etc/debian_version'], findings: [os('/etc/os-release', 'debian', '', 100), os('/etc/debian_version', 'debian', '12.5', 60)] }, 0),
    ]);
    expect(merged.os).toEqual({ family: 'debian', version: '12.5' });
    const deleted = mergeLayers([layer({ paths: ['/etc/os-release', '/etc/alpine-release'], findings: [os('/etc/os-release', 'debian', '12', 100), os('/etc/alpine-release', 'alpine', '3.19.1', 80)] }, 0), layer({ whiteouts: ['/etc/os-release'] }, 1)]);
    expect(deleted.os).toEqual({ family: 'alpine', version: '3.19.1' });
  });
});
