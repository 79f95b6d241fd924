import { describe, expect, it } from 'vitest';
import { fixCommand, suggestFix } from './fix.ts';
import type { OsvAffected } from './osv.ts';

const entry = (ecosystem: string, name: string, ...events: NonNullable<OsvAffected['ranges']>[number]['events']): OsvAffected => ({
  package: { ecosystem, name },
  ranges: [{ type: 'ECOSYSTEM', events }],
});

describe('fix suggestions', () => {
  it('lists fixed versions above the installed one, lowest first, in ecosystem order', () => {
    const e = entry('npm', 'lodash', { introduced: '0' }, { fixed: '4.17.21' }, { introduced: '5.0.0' }, { fixed: '5.0.1' });
    const older = entry('npm', 'lodash', { introduced: '0' }, { fixed: '4.17.12' });
    expect(suggestFix([e, older], 'npm', 'lodash', '4.17.15')).toEqual({
      fixedVersions: ['4.17.21', '5.0.1'],
      fixStatus: 'fixed',
      fixCommand: 'npm install lodash@4.17.21',
    });
  });

  it('orders Debian versions by dpkg rules (epochs, tildes)', () => {
    const e = entry('Debian:11', 'openssl', { introduced: '0' }, { fixed: '1.1.1n-0+deb11u4' }, { introduced: '1:2.0' }, { fixed: '1:2.0~rc1' });
    expect(suggestFix([e], 'Debian:11', 'libssl1.1', '1.1.1n-0+deb11u3').fixedVersions).toEqual(['1.1.1n-0+deb11u4', '1:2.0~rc1']);
  });

  it('says "no fix yet" when nothing above the installed version is fixed', () => {
    const e = entry('PyPI', 'jinja2', { introduced: '0' }, { last_affected: '3.1.4' });
    expect(suggestFix([e], 'PyPI', 'jinja2', '3.1.0')).toEqual({ fixedVersions: [], fixStatus: 'no fix yet', fixCommand: null });
  });

  it('writes the package manager command for each ecosystem', () => {
    expect(fixCommand('Debian:12', 'libssl3', '3.0.11-1~deb12u2')).toBe('apt-get install --only-upgrade libssl3');
    expect(fixCommand('Alpine:v3.19', 'musl', '1.2.4-r3')).toBe('apk add --upgrade musl');
    expect(fixCommand('PyPI', 'requests', '2.31.0')).toBe("pip install 'requests>=2.31.0'");
    expect(fixCommand('npm', '@babel/traverse', '7.23.2')).toBe('npm install @babel/traverse@7.23.2');
    expect(fixCommand('Go', 'golang.org/x/net', '0.17.0')).toBe('go get golang.org/x/net@v0.17.0');
    expect(fixCommand('crates.io', 'tokio', '1.38.2')).toBe('cargo update -p tokio --precise 1.38.2');
    expect(fixCommand('Go', 'stdlib', '1.21.3')).toBeNull();
    expect(fixCommand('Unknown', 'x', '1')).toBeNull();
  });
});
