import { describe, expect, it } from 'vitest';
import { rpmAnalyzer } from './analyzer.ts';
import { fixture } from './testdata.ts';
import type { AnalyzerContext, FileMeta, Finding } from '../../analyzer.ts';
import { compareVersions } from '../../versions/index.ts';

const meta = (path: string): FileMeta => ({ path, size: 1, mode: 0o644, kind: 'file' });

function run(path: string, content: Buffer): { findings: Finding[]; notes: string[] } {
  const notes: string[] = [];
  const ctx: AnalyzerContext = { layer: { diffId: 'sha256:x', createdBy: null, index: 0 }, note: (m) => notes.push(m) };
  const findings = rpmAnalyzer.analyze({ ...meta(path), content }, ctx) as Finding[];
  return { findings, notes };
}

describe('rpm analyzer', () => {
  it('asks for the rpm database files only', () => {
    for (const p of ['/var/lib/rpm/rpmdb.sqlite', '/var/lib/rpm/Packages', '/usr/lib/sysimage/rpm/Packages.db']) expect(rpmAnalyzer.required(p, meta(p))).toBe(true);
    for (const p of ['/var/lib/rpm/Basenames', '/var/lib/rpm/Packages.bak', '/home/x/var/lib/rpm/Packages']) expect(rpmAnalyzer.required(p, meta(p))).toBe(false);
    expect(rpmAnalyzer.required('/var/lib/rpm/Packages', { ...meta('/var/lib/rpm/Packages'), kind: 'symlink' })).toBe(false);
  });

  it('turns packages into findings with source package, epoch and purl', () => {
    const { findings, notes } = run('/var/lib/rpm/rpmdb.sqlite', fixture('cbl-mariner-2.0/var/lib/rpm/rpmdb.sqlite'));
    expect(notes).toEqual([]);
    expect(findings).toHaveLength(129);
    const ca = findings.find((f) => f.kind === 'package' && f.package.name === 'ca-certificates-base');
    expect(ca).toMatchObject({
      kind: 'package',
      path: '/var/lib/rpm/rpmdb.sqlite',
      package: {
        ecosystem: 'Azure Linux',
        version: '1:2.0.0-1.cm2',
        sourceName: 'ca-certificates',
        sourceVersion: '1:2.0.0-1.cm2',
        purl: 'pkg:rpm/mariner/ca-certificates-base@2.0.0-1.cm2?arch=noarch&epoch=1',
        arch: 'noarch',
      },
    });
  });

  it('uses the vendor for the ecosystem (SUSE) and keeps licence and size as metadata', () => {
    const { findings } = run('/var/lib/rpm/Packages.db', fixture('sle15-bci/var/lib/rpm/Packages.db'));
    const glibc = findings.find((f) => f.kind === 'package' && f.package.name === 'glibc');
    expect(glibc).toMatchObject({
      package: {
        ecosystem: 'SUSE',
        version: '2.31-9.3.2',
        sourceName: 'glibc',
        sourceVersion: '2.31-9.3.2',
        purl: 'pkg:rpm/suse/glibc@2.31-9.3.2?arch=x86_64',
        metadata: { size: 6183407, license: expect.stringContaining('LGPL-2.1-or-later') },
      },
    });
    const pkg = glibc?.kind === 'package' ? glibc.package : null;
    expect(compareVersions(pkg!.ecosystem, pkg!.version, '2.31-10')).toBeLessThan(0);
  });

  it('notes an unreadable database instead of failing', () => {
    const { findings, notes } = run('/var/lib/rpm/Packages', Buffer.alloc(10_000, 7));
    expect(findings).toEqual([]);
    expect(notes[0]).toMatch(/\/var\/lib\/rpm\/Packages: 1 problem/);
  });
});
