/** Go binaries: the modules compiled in, from the build info the linker embeds. */
import { executableAnalyzer } from '../binary/executable-analyzer.ts';
import { readGoBuildInfo } from './buildinfo.ts';
import { goModules } from './modinfo.ts';

export const goBinaryAnalyzer = executableAnalyzer({
  name: 'lang/go-binary',
  version: 1,
  ecosystem: 'Go',
  read(content) {
    const info = readGoBuildInfo(content);
    return info ? goModules(info) : undefined;
  },
});
