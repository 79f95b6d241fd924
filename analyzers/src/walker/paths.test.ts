import { describe, expect, it } from 'vitest';
import { isWithin, normalizeEntryPath, parseWhiteout, resolveLinkTarget } from './paths.ts';

describe('normalizeEntryPath', () => {
  it('makes tar names absolute and resolves dots', () => {
    expect(normalizeEntryPath('./usr/bin/x')).toBe('/usr/bin/x');
    expect(normalizeEntryPath('usr//lib/./a/../b/')).toBe('/usr/lib/b');
    expect(normalizeEntryPath('/etc/passwd')).toBe('/etc/passwd');
    expect(normalizeEntryPath('./')).toBe('/');
  });
  it('rejects names that climb above the root', () => {
    expect(normalizeEntryPath('../etc/passwd')).toBeNull();
    expect(normalizeEntryPath('a/../../etc/passwd')).toBeNull();
  });
});

describe('resolveLinkTarget', () => {
  it('resolves relative and absolute targets inside the image', () => {
    expect(resolveLinkTarget('/etc/os-release', '../usr/lib/os-release')).toBe('/usr/lib/os-release');
    expect(resolveLinkTarget('/bin/sh', 'dash')).toBe('/bin/dash');
    expect(resolveLinkTarget('/bin/sh', '/usr/bin/dash')).toBe('/usr/bin/dash');
  });
  it('never leaves the root', () => {
    expect(resolveLinkTarget('/a/link', '../../../../etc/shadow')).toBe('/etc/shadow');
    expect(resolveLinkTarget('/link', '/../../host')).toBe('/host');
  });
});

describe('parseWhiteout', () => {
  it('recognises deletions, opaque directories and AUFS bookkeeping', () => {
    expect(parseWhiteout('/etc/.wh.passwd')).toEqual({ kind: 'delete', path: '/etc/passwd' });
    expect(parseWhiteout('/.wh.tmp')).toEqual({ kind: 'delete', path: '/tmp' });
    expect(parseWhiteout('/var/cache/.wh..wh..opq')).toEqual({ kind: 'opaque', dir: '/var/cache' });
    expect(parseWhiteout('/.wh..wh.plnk')).toEqual({ kind: 'meta' });
    expect(parseWhiteout('/etc/passwd')).toBeNull();
  });
  it('isWithin matches a directory and its descendants only', () => {
    expect(isWithin('/etc/apt/x', '/etc/apt')).toBe(true);
    expect(isWithin('/etc/apt', '/etc/apt')).toBe(true);
    expect(isWithin('/etc/aptitude', '/etc/apt')).toBe(false);
  });
});
