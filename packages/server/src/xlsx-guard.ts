/**
 * 工作簿展开大小检查 (a zip bomb guard): an .xlsx is a zip archive, and a few megabytes of upload can
 * inflate to gigabytes, which would exhaust the server's memory inside the Excel reader. Before a
 * workbook is read, its entries are inflated here with a ceiling on their total size (Node's zlib
 * stops at `maxOutputLength`), so neither the sizes the archive declares nor the ones it hides can
 * take more than the ceiling. Only the archive's directory is parsed here (APPNOTE 4.3.12, 4.3.16);
 * the workbook itself is read by exceljs afterwards.
 */
import { inflateRawSync } from "node:zlib";

/** The most an uploaded workbook may inflate to, all entries together (64 MiB). */
export const MAX_WORKBOOK_EXPANDED_BYTES = 64 * 1024 * 1024;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The offset of the end-of-central-directory record, searched from the end (its comment ≤ 64 KiB). */
function endOfDirectory(bytes: Buffer): number {
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--)
    if (bytes.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/** What the check finds: readable within the ceiling, not a readable zip archive, or too large. */
export type WorkbookExpansion = "ok" | "unreadable" | "too-large";

/** The refusal of a workbook that inflates beyond `maxBytes`, in Chinese. */
export function workbookTooLargeMessage(maxBytes: number = MAX_WORKBOOK_EXPANDED_BYTES): string {
  return `工作簿解压后超过 ${Math.floor(maxBytes / 1024 / 1024)} MiB，不予读取：请删去多余的工作表、格式或图片后再上传`;
}

/** Checks that every entry of the archive inflates within `maxBytes` in all (see the module comment). */
export function checkWorkbookExpansion(
  bytes: Buffer,
  maxBytes: number = MAX_WORKBOOK_EXPANDED_BYTES,
): WorkbookExpansion {
  const notZip = "unreadable";
  const tooLarge = "too-large";
  if (bytes.length < 22 || bytes.readUInt32LE(0) !== LOCAL) return notZip;
  const end = endOfDirectory(bytes);
  if (end < 0) return notZip;
  const entries = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  let left = maxBytes;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) return notZip;
    const method = bytes.readUInt16LE(at + 10);
    const compressed = bytes.readUInt32LE(at + 20);
    const declared = bytes.readUInt32LE(at + 24);
    const local = bytes.readUInt32LE(at + 42);
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    // ZIP64 sizes (0xFFFFFFFF) are beyond any workbook this platform reads.
    if (declared > left || compressed === 0xffffffff) return tooLarge;
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== LOCAL) return notZip;
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + compressed);
    if (method === 0) {
      left -= data.length;
    } else if (method === 8) {
      try {
        // One byte more than is left: reaching it means the entry inflates beyond the ceiling.
        left -= inflateRawSync(data, { maxOutputLength: left + 1 }).length;
      } catch (e) {
        if (e instanceof RangeError) return tooLarge;
        return notZip;
      }
    } else return notZip;
    if (left < 0) return tooLarge;
  }
  return "ok";
}
