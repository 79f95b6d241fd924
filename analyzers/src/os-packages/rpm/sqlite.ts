/**
 * Header blobs from rpm's SQLite database (`rpmdb.sqlite`: RHEL 9, Fedora 33+, Mariner,
 * Amazon Linux 2023): table `Packages(hnum INTEGER PRIMARY KEY, blob BLOB)`. The file is
 * opened from memory (better-sqlite3 deserialises a copy of the bytes) and only queried:
 * `query_only` makes any write an error.
 */
import Database from 'better-sqlite3';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export function isSqlite(buf: Buffer): boolean {
  return buf.length >= 100 && buf.subarray(0, 16).equals(SQLITE_MAGIC);
}

/**
 * rpm keeps its database in WAL mode (header bytes 18-19 = 2), which SQLite cannot open from
 * memory. The image holds no live WAL for us anyway (rpm checkpoints when it closes), so
 * SQLite is handed the file marked as a rollback-journal database (1). better-sqlite3 copies
 * the bytes when it opens them, so the mark is made in place and undone right after,
 * instead of copying a possibly large database once more.
 */
function openWithoutWal(buf: Buffer): Database.Database {
  const write = buf[18]!;
  const read = buf[19]!;
  const wal = write === 2 || read === 2;
  if (wal) buf[18] = buf[19] = 1;
  try {
    return new Database(buf);
  } finally {
    buf[18] = write;
    buf[19] = read;
  }
}

export function readSqliteBlobs(buf: Buffer, problem: (message: string) => void): Buffer[] {
  const db = openWithoutWal(buf);
  try {
    db.pragma('query_only = ON');
    const blobs: Buffer[] = [];
    for (const row of db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').iterate() as Iterable<{ hnum: number; blob: unknown }>) {
      if (Buffer.isBuffer(row.blob)) blobs.push(row.blob);
      else problem(`rpmdb.sqlite: package ${row.hnum} has no header blob`);
    }
    return blobs;
  } finally {
    db.close();
  }
}
