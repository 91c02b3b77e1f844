/**
 * Reads the header of a native binary (ELF, PE, Mach-O, Mach-O universal) and says which operating
 * system and CPU it was built for, so the VSIX check can refuse a binary of another platform.
 */

/** Operating systems as Node's `process.platform` names them. */
export type NativeOs = 'linux' | 'win32' | 'darwin';

/** CPU architectures as Node's `process.arch` names them; `other:<n>` keeps a machine code we do not map. */
export type NativeArch = 'x64' | 'arm64' | 'ia32' | 'arm' | `other:${string}`;

/** What a native binary's header says. */
export interface NativeHeader {
  readonly format: 'elf' | 'pe' | 'macho' | 'macho-universal';
  readonly os: NativeOs;
  /** One CPU for ELF, PE and thin Mach-O; every slice of a universal Mach-O. */
  readonly archs: readonly NativeArch[];
}

const ELF_MACHINES: Record<number, NativeArch> = { 3: 'ia32', 40: 'arm', 62: 'x64', 183: 'arm64' };
const PE_MACHINES: Record<number, NativeArch> = { 0x14c: 'ia32', 0x1c4: 'arm', 0x8664: 'x64', 0xaa64: 'arm64' };
const MACHO_CPUS: Record<number, NativeArch> = { 7: 'ia32', 12: 'arm', 0x01000007: 'x64', 0x0100000c: 'arm64' };
/** More slices than any real universal binary holds: a Java class file also starts with 0xCAFEBABE. */
const MAX_FAT_SLICES = 16;

/** How many leading bytes `readNativeHeader` needs at most (PE headers sit behind the DOS stub). */
export const NATIVE_HEADER_BYTES = 4096;

/**
 * The platform a binary was built for, from its first bytes (at least the first 64; PE needs up to
 * its `e_lfanew` + 6), or undefined when the bytes are not a native binary this check knows.
 */
export function readNativeHeader(bytes: Uint8Array): NativeHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) return undefined;
  const magicBE = view.getUint32(0, false);
  if (magicBE === 0x7f454c46) return readElf(view);
  if (bytes[0] === 0x4d && bytes[1] === 0x5a) return readPe(view);
  if (magicBE === 0xfeedface || magicBE === 0xfeedfacf) return thinMachO(view, false);
  if (magicBE === 0xcefaedfe || magicBE === 0xcffaedfe) return thinMachO(view, true);
  if (magicBE === 0xcafebabe || magicBE === 0xcafebabf) return universalMachO(view, magicBE === 0xcafebabf);
  return undefined;
}

function readElf(view: DataView): NativeHeader | undefined {
  if (view.byteLength < 20) return undefined;
  const littleEndian = view.getUint8(5) === 1;
  const machine = view.getUint16(18, littleEndian);
  return { format: 'elf', os: 'linux', archs: [ELF_MACHINES[machine] ?? `other:${machine}`] };
}

function readPe(view: DataView): NativeHeader | undefined {
  if (view.byteLength < 0x40) return undefined;
  const peOffset = view.getUint32(0x3c, true);
  if (peOffset + 6 > view.byteLength || view.getUint32(peOffset, false) !== 0x50450000) return undefined;
  const machine = view.getUint16(peOffset + 4, true);
  return { format: 'pe', os: 'win32', archs: [PE_MACHINES[machine] ?? `other:${machine}`] };
}

function thinMachO(view: DataView, littleEndian: boolean): NativeHeader {
  const cpu = view.getUint32(4, littleEndian);
  return { format: 'macho', os: 'darwin', archs: [MACHO_CPUS[cpu] ?? `other:${cpu}`] };
}

function universalMachO(view: DataView, wide: boolean): NativeHeader | undefined {
  const count = view.getUint32(4, false);
  const entrySize = wide ? 32 : 20;
  if (count === 0 || count > MAX_FAT_SLICES || 8 + count * entrySize > view.byteLength) return undefined;
  const archs: NativeArch[] = [];
  for (let i = 0; i < count; i++) {
    const cpu = view.getUint32(8 + i * entrySize, false);
    archs.push(MACHO_CPUS[cpu] ?? `other:${cpu}`);
  }
  return { format: 'macho-universal', os: 'darwin', archs };
}

/** Why a binary does not belong in the VSIX of `os`-`arch`, or undefined when it does. */
export function platformMismatch(header: NativeHeader | undefined, os: NativeOs, arch: NativeArch): string | undefined {
  if (!header) return 'not a native binary of any known format';
  const built = `${header.os}-${header.archs.join('+')} (${header.format})`;
  if (header.os !== os) return `built for ${built}`;
  // Strict on universal Mach-O too: a slice for another CPU is another platform's code (and weight).
  if (header.archs.some((slice) => slice !== arch)) return `built for ${built}`;
  return undefined;
}
