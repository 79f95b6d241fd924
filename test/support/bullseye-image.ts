/**
 * The severity test image: built FROM the Debian test image (a real mmdebstrap rootfs), made to
 * read as Debian 11 "bullseye" (os-release, debian_version) with its dpkg status extended by two
 * bullseye packages at versions Debian's advisories in the fixtures cover:
 *   libssl1.1 1.1.1n-0+deb11u3 (source openssl): DSA-5343-1, fixed in 1.1.1n-0+deb11u4;
 *   liblog4j2-java 2.15.0-1~deb11u1 (source apache-log4j2): DSA-5022-1 and DSA-5024-1.
 * (The fixture's DSA list stops before bookworm, hence the release rewrite.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianImage } from './debian-image.ts';
import { buildImage } from './docker.ts';

export const BULLSEYE_TAG = 'shipshape-test/severity:bullseye';

export const bullseyeOsRelease = [
  'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"',
  'NAME="Debian GNU/Linux"',
  'VERSION_ID="11"',
  'VERSION="11 (bullseye)"',
  'VERSION_CODENAME=bullseye',
  'ID=debian',
  'HOME_URL="https://www.debian.org/"',
  'SUPPORT_URL="https://www.debian.org/support"',
  'BUG_REPORT_URL="https://bugs.debian.org/"',
  '',
].join('\n');

export const bullseyeStanzas = [
  'Package: libssl1.1',
  'Status: install ok installed',
  'Priority: optional',
  'Section: libs',
  'Installed-Size: 4116',
  'Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>',
  'Architecture: amd64',
  'Multi-Arch: same',
  'Source: openssl',
  'Version: 1.1.1n-0+deb11u3',
  'Depends: libc6 (>= 2.25)',
  'Description: Secure Sockets Layer toolkit - shared libraries',
  ' This package is part of the OpenSSL project\'s implementation of the SSL and',
  ' TLS cryptographic protocols for secure communication over the Internet.',
  '',
  'Package: liblog4j2-java',
  'Status: install ok installed',
  'Priority: optional',
  'Section: java',
  'Installed-Size: 2651',
  'Maintainer: Debian Java Maintainers <pkg-java-maintainers@lists.alioth.debian.org>',
  'Architecture: all',
  'Source: apache-log4j2',
  'Version: 2.15.0-1~deb11u1',
  'Description: Apache Log4j - Logging Framework for Java',
  ' Apache Log4j 2 is an upgrade to Log4j.',
  '',
].join('\n');

export async function ensureBullseyeImage(): Promise<{ tag: string; id: string }> {
  const { tag: base } = await ensureDebianImage();
  const context = await mkdtemp(join(tmpdir(), 'shipshape-bullseye-'));
  try {
    await writeFile(join(context, 'os-release'), bullseyeOsRelease);
    await writeFile(join(context, 'status-bullseye'), bullseyeStanzas);
    await writeFile(
      join(context, 'Dockerfile'),
      [
        `FROM ${base}`,
        'COPY os-release status-bullseye /tmp/',
        // os-release may be a symlink into /usr/lib: replace both; append the stanzas after a blank line.
        'RUN rm -f /etc/os-release && cp /tmp/os-release /etc/os-release && cp /tmp/os-release /usr/lib/os-release && echo 11.6 > /etc/debian_version \\',
        ' && printf "\\n" >> /var/lib/dpkg/status && cat /tmp/status-bullseye >> /var/lib/dpkg/status && rm /tmp/os-release /tmp/status-bullseye',
        '',
      ].join('\n'),
    );
    const id = await buildImage(context, BULLSEYE_TAG, { network: 'none' });
    return { tag: BULLSEYE_TAG, id };
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
