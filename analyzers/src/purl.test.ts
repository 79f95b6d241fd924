import { describe, expect, it } from 'vitest';
import { parsePurl, purl } from './purl.ts';

describe('purl', () => {
  it('builds deb and apk purls with sorted, encoded qualifiers', () => {
    expect(purl({ type: 'deb', namespace: 'debian', name: 'libgcc-s1', version: '12.2.0-14+deb12u1', qualifiers: { distro: 'debian-12', arch: 'amd64' } })).toBe(
      'pkg:deb/debian/libgcc-s1@12.2.0-14%2Bdeb12u1?arch=amd64&distro=debian-12',
    );
    expect(purl({ type: 'deb', namespace: 'ubuntu', name: 'libgcc1', version: '1:5.1.1-12ubuntu1' })).toBe('pkg:deb/ubuntu/libgcc1@1:5.1.1-12ubuntu1');
    expect(purl({ type: 'npm', namespace: '@babel', name: 'core', version: '7.0.0' })).toBe('pkg:npm/%40babel/core@7.0.0');
  });
  it('parses what it builds', () => {
    const parts = { type: 'apk', namespace: 'alpine', name: 'musl', version: '1.2.4-r2', qualifiers: { arch: 'x86_64', distro: '3.19.1' } };
    expect(parsePurl(purl(parts))).toEqual(parts);
    expect(parsePurl('pkg:npm/%40babel/core@7.0.0')).toEqual({ type: 'npm', namespace: '@babel', name: 'core', version: '7.0.0' });
    expect(parsePurl('not a purl')).toBeNull();
  });
});
