import { describe, expect, it } from 'vitest';
import { cutFinding, reportChunks, topLevelSpans, type ReportPart } from './report-writer-protocol.ts';

const bytesOf = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

describe('topLevelSpans', () => {
  it("finds each top-level value, whatever its strings hold", () => {
    const value = {
      a: 'a "quoted" {brace} [bracket], comma: colon \\ backslash',
      b: { nested: ['x', { y: '}]' }], n: null },
      c: [1, -2.5e-7, true, false, null, '\u2028 \ud83d\ude00 é'],
      d: 12,
      'k"ey': '',
      e: [],
    };
    const bytes = bytesOf(value);
    const spans = topLevelSpans(bytes);
    expect([...spans.keys()]).toEqual(Object.keys(value));
    for (const [key, [start, end]] of spans) expect(JSON.parse(Buffer.from(bytes.subarray(start, end)).toString('utf8'))).toEqual((value as Record<string, unknown>)[key]);
  });

  it('reads an empty object, and refuses what is not an object or does not end', () => {
    expect(topLevelSpans(bytesOf({})).size).toBe(0);
    expect(() => topLevelSpans(bytesOf([1]))).toThrow('not a JSON object');
    expect(() => topLevelSpans(new TextEncoder().encode('{"a":"b'))).toThrow('does not end');
    expect(() => topLevelSpans(new TextEncoder().encode('{"a":[1,2'))).toThrow('does not end');
  });
});

describe('cutFinding', () => {
  const layer = { diffId: 'sha256:1', createdBy: 'RUN x' };
  it("cuts a finding's JSON around its layer", () => {
    const finding = { id: 'CVE-1', details: 'see "layer": below', layer, tags: [] };
    const cut = cutFinding(JSON.stringify(finding), JSON.stringify(layer))!;
    const other = { diffId: 'sha256:2', createdBy: null };
    expect(`${cut[0]}${JSON.stringify(other)}${cut[1]}`).toBe(JSON.stringify({ ...finding, layer: other }));
  });

  it('gives up when the layer key is not found exactly once', () => {
    expect(cutFinding(JSON.stringify({ id: 'x' }), JSON.stringify(layer))).toBeNull();
    expect(cutFinding('{"layer":{"diffId":"sha256:1","createdBy":"RUN x"},"more":{"layer":1}}', JSON.stringify(layer))).toBeNull();
  });
});

describe('reportChunks', () => {
  it('puts together the JSON.stringify of the report: stored fields, changed fields and referenced findings', () => {
    const layerA = { diffId: 'sha256:a', createdBy: 'FROM debian' };
    const layerB = { diffId: 'sha256:b', createdBy: null };
    const stored = { image: { id: 'sha256:img', tags: ['x:1'] }, packages: [{ name: 'p "q"', layer: layerA }], vulnerabilities: [], notes: ['old'] };
    const canonical = [
      { id: 'CVE-1', summary: 'one ✓', layer: layerA, tags: ['fixable'] },
      { id: 'CVE-2', summary: 'two', layer: layerA, tags: [] },
    ];
    const cuts = canonical.map((f) => cutFinding(JSON.stringify(f), JSON.stringify(f.layer))!).map(([h, t]) => [Buffer.from(h), Buffer.from(t)] as const);
    const whole = { id: 'GHSA-x', summary: 'sent whole', layer: layerB, tags: [] };
    const report = { ...stored, vulnerabilities: [{ ...canonical[1]!, layer: layerB }, whole, canonical[0]!], notes: ['new'], notChecked: [] };
    const parts: ReportPart[] = [
      { key: 'image', from: 'stored' },
      { key: 'packages', from: 'stored' },
      { key: 'vulnerabilities', findings: { refs: Int32Array.from([1, -1, 0]), layerOf: Int32Array.from([0, 0, 1]), layers: [JSON.stringify(layerB), JSON.stringify(layerA)], whole: [JSON.stringify(whole)] } },
      { key: 'notes', json: JSON.stringify(report.notes) },
      { key: 'notChecked', json: '[]' },
    ];
    expect(text(reportChunks(parts, bytesOf(stored), cuts))).toBe(JSON.stringify(report));
    expect(text(reportChunks([], bytesOf(stored), cuts))).toBe('{}');
  });

  it('refuses a reference to a finding it was not sent, and a stored field the file lacks', () => {
    const findings = { refs: Int32Array.from([3]), layerOf: Int32Array.from([0]), layers: ['{}'], whole: [] };
    expect(() => reportChunks([{ key: 'vulnerabilities', findings }], bytesOf({}), [])).toThrow('no canonical finding 3');
    expect(() => reportChunks([{ key: 'packages', from: 'stored' }], bytesOf({ image: {} }), [])).toThrow('has no packages');
  });
});
