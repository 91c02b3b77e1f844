import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { NativeArch, NativeOs, platformMismatch, readNativeHeader } from '../../../scripts/packaging/nativeHeader';

/** A 64-bit ELF header (64 bytes) for `machine`, little- or big-endian. */
function elf(machine: number, littleEndian = true): Uint8Array {
  const bytes = new Uint8Array(64);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, littleEndian ? 1 : 2, 1]);
  new DataView(bytes.buffer).setUint16(18, machine, littleEndian);
  return bytes;
}

/** A DOS stub pointing at a PE header (at 0x80) for `machine`. */
function pe(machine: number, peOffset = 0x80): Uint8Array {
  const bytes = new Uint8Array(peOffset + 24);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4d, 0x5a]);
  view.setUint32(0x3c, peOffset, true);
  view.setUint32(peOffset, 0x50450000, false);
  view.setUint16(peOffset + 4, machine, true);
  return bytes;
}

/** A thin 64-bit Mach-O header, stored little-endian as on every Mac since Intel. */
function machO(cpu: number): Uint8Array {
  const bytes = new Uint8Array(32);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0xfeedfacf, true);
  view.setUint32(4, cpu, true);
  return bytes;
}

/** A universal (fat) Mach-O header, big-endian, with one 20-byte entry per CPU. */
function universal(cpus: number[]): Uint8Array {
  const bytes = new Uint8Array(8 + cpus.length * 20);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0xcafebabe, false);
  view.setUint32(4, cpus.length, false);
  cpus.forEach((cpu, i) => view.setUint32(8 + i * 20, cpu, false));
  return bytes;
}

const X86_64 = 0x01000007;
const ARM64 = 0x0100000c;

describe('native binary headers (the VSIX platform check)', () => {
  it('reads the machine of ELF, PE and Mach-O headers as Node names platforms', () => {
    const cases: [Uint8Array, string, NativeOs, NativeArch[]][] = [
      [elf(62), 'elf', 'linux', ['x64']],
      [elf(183), 'elf', 'linux', ['arm64']],
      [elf(183, false), 'elf', 'linux', ['arm64']],
      [elf(40), 'elf', 'linux', ['arm']],
      [pe(0x8664), 'pe', 'win32', ['x64']],
      [pe(0xaa64), 'pe', 'win32', ['arm64']],
      [pe(0x14c, 0x100), 'pe', 'win32', ['ia32']],
      [machO(X86_64), 'macho', 'darwin', ['x64']],
      [machO(ARM64), 'macho', 'darwin', ['arm64']],
      [universal([X86_64, ARM64]), 'macho-universal', 'darwin', ['x64', 'arm64']],
    ];
    for (const [bytes, format, os, archs] of cases) {
      assert.deepEqual(readNativeHeader(bytes), { format, os, archs }, `${format} ${archs.join('+')}`);
    }
  });

  it('keeps a machine code it does not know instead of guessing', () => {
    assert.deepEqual(readNativeHeader(elf(243))?.archs, ['other:243']);
    assert.deepEqual(readNativeHeader(pe(0x5064))?.archs, [`other:${0x5064}`]);
  });

  it('says "not native" for text, a Java class file, a truncated header and an MZ file with no PE header', () => {
    assert.equal(readNativeHeader(new TextEncoder().encode('module.exports = require("./x.node");')), undefined);
    const javaClass = new Uint8Array(64);
    new DataView(javaClass.buffer).setUint32(0, 0xcafebabe, false);
    new DataView(javaClass.buffer).setUint32(4, 0x00000034, false); // class file version 52: 52 "slices"
    assert.equal(readNativeHeader(javaClass), undefined);
    assert.equal(readNativeHeader(elf(62).subarray(0, 6)), undefined);
    const dosOnly = pe(0x8664);
    dosOnly.set([0, 0, 0, 0], 0x80);
    assert.equal(readNativeHeader(dosOnly), undefined);
    assert.equal(readNativeHeader(pe(0x8664, 4000).subarray(0, 200)), undefined, 'a PE offset past the bytes read');
  });

  it('accepts only binaries of the target platform', () => {
    assert.equal(platformMismatch(readNativeHeader(elf(62)), 'linux', 'x64'), undefined);
    assert.equal(platformMismatch(readNativeHeader(pe(0xaa64)), 'win32', 'arm64'), undefined);
    assert.equal(platformMismatch(readNativeHeader(machO(ARM64)), 'darwin', 'arm64'), undefined);
    assert.match(platformMismatch(readNativeHeader(elf(183)), 'linux', 'x64') ?? '', /built for linux-arm64 \(elf\)/);
    assert.match(platformMismatch(readNativeHeader(pe(0x8664)), 'win32', 'arm64') ?? '', /built for win32-x64 \(pe\)/);
    assert.match(platformMismatch(readNativeHeader(machO(X86_64)), 'darwin', 'arm64') ?? '', /built for darwin-x64/);
    assert.match(platformMismatch(readNativeHeader(elf(62)), 'win32', 'x64') ?? '', /built for linux-x64/);
    assert.match(platformMismatch(readNativeHeader(universal([X86_64, ARM64])), 'darwin', 'arm64') ?? '', /darwin-x64\+arm64 \(macho-universal\)/, 'another CPU\'s slice is another platform');
    assert.equal(platformMismatch(undefined, 'linux', 'x64'), 'not a native binary of any known format');
  });

  it('reads the real binaries installed here: sharp for linux-x64, onnxruntime-node for every OS', () => {
    const head = (file: string) => readNativeHeader(readFileSync(require.resolve(file)).subarray(0, 4096));
    assert.deepEqual(head('@img/sharp-libvips-linux-x64/binary'), { format: 'elf', os: 'linux', archs: ['x64'] });
    const ort = (os: string, arch: string, file: string) => head(`onnxruntime-node/bin/napi-v6/${os}/${arch}/${file}`);
    assert.deepEqual(ort('win32', 'arm64', 'onnxruntime_binding.node'), { format: 'pe', os: 'win32', archs: ['arm64'] });
    assert.deepEqual(ort('win32', 'x64', 'onnxruntime.dll'), { format: 'pe', os: 'win32', archs: ['x64'] });
    assert.deepEqual(ort('darwin', 'arm64', 'libonnxruntime.1.dylib'), { format: 'macho', os: 'darwin', archs: ['arm64'] });
    assert.deepEqual(ort('linux', 'arm64', 'libonnxruntime.so.1'), { format: 'elf', os: 'linux', archs: ['arm64'] });
  });
});
