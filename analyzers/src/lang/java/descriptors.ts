/** The two places a jar says what it is: Maven's pom.properties and the JAR manifest. */

/** `key=value` / `key: value` lines of a Java properties file (comments with # or !). */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (match) out.set(match[1]!, match[2]!.trim());
  }
  return out;
}

export interface MavenCoordinates {
  groupId: string;
  artifactId: string;
  version: string;
}

export function pomPropertiesCoordinates(text: string): MavenCoordinates | undefined {
  const props = parseProperties(text);
  const [groupId, artifactId, version] = ['groupId', 'artifactId', 'version'].map((key) => props.get(key));
  return groupId && artifactId && version ? { groupId, artifactId, version } : undefined;
}

/** Main-section attributes of META-INF/MANIFEST.MF (72-byte lines continue with a leading space). */
export function parseManifest(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let lastKey: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break; // end of the main section
    if (line.startsWith(' ') && lastKey) {
      out.set(lastKey, out.get(lastKey)! + line.slice(1));
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    lastKey = line.slice(0, colon).trim();
    out.set(lastKey, line.slice(colon + 1).trim());
  }
  return out;
}

/**
 * Coordinates from manifest attributes, in the order trivy uses: group from
 * Implementation-Vendor-Id, the package part of Bundle-SymbolicName, or the vendor; artifact
 * from Implementation-Title, Specification-Title or Bundle-Name; version likewise. Jenkins
 * plugins say Group-Id / Short-Name / Plugin-Version.
 */
export function manifestCoordinates(text: string): MavenCoordinates | undefined {
  const m = parseManifest(text);
  const first = (...keys: string[]) => keys.map((key) => m.get(key)).find((value) => value !== undefined && value !== '');
  const symbolicName = m.get('Bundle-SymbolicName')?.split(';')[0]?.trim();
  const groupFromBundle = symbolicName && symbolicName.lastIndexOf('.') > 0 ? symbolicName.slice(0, symbolicName.lastIndexOf('.')) : symbolicName;
  const groupId = first('Group-Id', 'Implementation-Vendor-Id') ?? groupFromBundle ?? first('Implementation-Vendor', 'Specification-Vendor');
  const artifactId = first('Short-Name', 'Implementation-Title', 'Specification-Title', 'Bundle-Name');
  const version = first('Plugin-Version', 'Implementation-Version', 'Specification-Version', 'Bundle-Version');
  return groupId && artifactId && version ? { groupId, artifactId, version } : undefined;
}

/** `commons-lang3-3.12.0.jar` → artifact `commons-lang3`, version `3.12.0` (no group known). */
export function fileNameCoordinates(fileName: string): { artifactId: string; version: string } | undefined {
  const stem = fileName.replace(/\.[a-z]+$/i, '');
  const match = /^(.+?)-(\d[\w.+-]*)$/.exec(stem);
  return match ? { artifactId: match[1]!, version: match[2]! } : undefined;
}
