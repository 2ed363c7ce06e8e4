/**
 * The files of a drop: plain files, and every file inside dropped folders (walked with the File System entries
 * API, which browsers offer for drops only). Hidden files (".DS_Store") are left out; the server decides the rest.
 */
export async function filesFromDrop(data: DataTransfer): Promise<File[]> {
  const entries = Array.from(data.items)
    .map((item) => (item.kind === "file" ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  // No entries API (old browsers, tests): the flat list of files is all there is.
  if (entries.length === 0) return visible(Array.from(data.files));
  const nested = await Promise.all(entries.map(filesOf));
  return visible(nested.flat());
}

/** Files the picker gave (one or many files, or a whole folder). */
export function filesFromInput(list: FileList | null): File[] {
  return visible(Array.from(list ?? []));
}

function visible(files: File[]): File[] {
  return files.filter((f) => !f.name.startsWith("."));
}

const isFile = (e: FileSystemEntry): e is FileSystemFileEntry => e.isFile;
const isDirectory = (e: FileSystemEntry): e is FileSystemDirectoryEntry => e.isDirectory;

async function filesOf(entry: FileSystemEntry): Promise<File[]> {
  if (entry.name.startsWith(".")) return [];
  if (isFile(entry)) return [await new Promise<File>((resolve, reject) => entry.file(resolve, reject))];
  if (!isDirectory(entry)) return [];
  const children = await readAll(entry.createReader());
  return (await Promise.all(children.map(filesOf))).flat();
}

/** readEntries answers in batches (100 in Chrome) until an empty one. */
async function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}
