export const summary = 'not implemented yet';
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('shipshape scan: not implemented yet\n');
  return 1;
}
