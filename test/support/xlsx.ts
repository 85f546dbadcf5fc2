/** Reads back an XLSX workbook for tests: unzips it (zlib) and reads the first sheet's cells. */
import { inflateRawSync } from 'node:zlib';

export function unzip(buffer: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  // The central directory gives each entry's sizes and the offset of its local header.
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = buffer.readUInt16LE(at + 10);
    const compressed = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extra = buffer.readUInt16LE(at + 30);
    const comment = buffer.readUInt16LE(at + 32);
    const offset = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    const localName = buffer.readUInt16LE(offset + 26);
    const localExtra = buffer.readUInt16LE(offset + 28);
    const data = buffer.subarray(offset + 30 + localName + localExtra, offset + 30 + localName + localExtra + compressed);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** The first sheet as rows of cells: numbers for numeric cells, text for inline strings, null for empty. */
export function readSheet(xlsx: Buffer): (string | number | null)[][] {
  const files = unzip(xlsx);
  const sheet = files.get('xl/worksheets/sheet1.xml');
  if (!sheet || !files.has('[Content_Types].xml') || !files.has('xl/workbook.xml')) throw new Error('not a workbook');
  const rows: (string | number | null)[][] = [];
  for (const [, rowXml] of sheet.toString('utf8').matchAll(/<row r="\d+">(.*?)<\/row>/g)) {
    const row: (string | number | null)[] = [];
    for (const [, ref, attrs, body] of rowXml.matchAll(/<c r="([A-Z]+)\d+"([^>]*)>(.*?)<\/c>/g)) {
      let index = 0;
      for (const ch of ref) index = index * 26 + (ch.charCodeAt(0) - 64);
      while (row.length < index - 1) row.push(null);
      row.push(attrs.includes('t="inlineStr"') ? unescape(/<t[^>]*>(.*?)<\/t>/.exec(body)![1]) : Number(/<v>(.*?)<\/v>/.exec(body)![1]));
    }
    rows.push(row);
  }
  return rows;
}
