import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { targetsFromArgs } from '../../../scripts/packaging/packageVsix';
import { requiredSpecifiers, resolveNativeParts, withPlatform } from '../../../scripts/packaging/resolveNative';
import { hostTarget, PACKAGE_TARGETS, targetNamed } from '../../../scripts/packaging/targets';
import { forbiddenEntry, isNativeName, requiredEntries } from '../../../scripts/packaging/vsixRules';

const repoModules = path.resolve(__dirname, '../../../../node_modules');

describe('packaging: targets, VSIX listing rules and require resolution', () => {
  it('a plain package builds this machine\'s target, never a universal VSIX; unknown targets and options are refused', () => {
    assert.equal(hostTarget('linux', 'x64').name, 'linux-x64');
    assert.equal(hostTarget('win32', 'arm64').name, 'win32-arm64');
    assert.throws(() => hostTarget('linux', 'ia32'), /linux-ia32\) is not a packaging target; pass --target <name> or --all/);
    assert.throws(() => hostTarget('linux', 'x64', true), /linuxmusl-x64/);
    assert.deepEqual(targetsFromArgs([], () => targetNamed('darwin-arm64')).map((t) => t.name), ['darwin-arm64']);
    assert.deepEqual(targetsFromArgs(['--all']).map((t) => t.name), PACKAGE_TARGETS.map((t) => t.name));
    assert.deepEqual(targetsFromArgs(['--target', 'win32-x64,linux-arm64']).map((t) => t.name), ['win32-x64', 'linux-arm64']);
    assert.throws(() => targetsFromArgs(['--target', 'universal']), /Unknown target "universal"/);
    assert.throws(() => targetsFromArgs(['--target']), /--target needs a name/);
    assert.throws(() => targetsFromArgs(['--universal']), /Unknown option --universal/);
    assert.deepEqual(PACKAGE_TARGETS.map((t) => t.name).sort(), ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'win32-arm64', 'win32-x64']);
  });

  it('knows native files by name, shared libraries with version suffixes too', () => {
    for (const name of ['a/sharp.node', 'lib/libvips-cpp.so.8.18.7', 'libonnxruntime.so.1', 'x.so', 'libvips.dylib', 'onnxruntime.dll', 'DirectML.DLL']) assert.ok(isNativeName(name), name);
    for (const name of ['a/sharp.node.js', 'so.txt', 'dist/extension.js', 'libx.so.map']) assert.ok(!isNativeName(name), name);
  });

  it('refuses tests, fixtures, source maps, caches and model files in a VSIX listing, and lets the product through', () => {
    const refused: [string, string][] = [
      ['test/fixtures/localModels/tiny.onnx', 'test file or fixture'],
      ['dist/node_modules/sharp/test/unit.js', 'test file or fixture'],
      ['out/test/unit/x.test.js', 'test file or fixture'],
      ['dist/extension.js.map', 'source map'],
      ['dist/node_modules/onnxruntime-common/dist/cjs/index.js.map', 'source map'],
      ['.package-cache/npm/x/package.json', 'cache'],
      ['.vscode-test/code-server/x.js', 'cache'],
      ['models/Xenova/vit-gpt2/onnx/decoder_model_merged_quantized.onnx', 'model file'],
      ['models/x/model.safetensors', 'model file'],
      ['models/x/tokenizer.json', 'model file'],
      ['src/extension.ts', 'source or build output outside dist/'],
      ['bench/run.js', 'source or build output outside dist/'],
      ['dist/node_modules/onnxruntime-common/lib/index.ts', 'TypeScript source'],
    ];
    for (const [entry, reason] of refused) assert.equal(forbiddenEntry(entry), reason, entry);
    for (const entry of ['package.json', 'README.md', 'dist/extension.js', 'dist/worker.js', 'models/catalog.json', 'media/icon.png', 'dist/node_modules/sharp/dist/index.cjs', 'dist/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node', 'dist/node_modules/some-package/src/index.js']) {
      assert.equal(forbiddenEntry(entry), undefined, entry);
    }
  });

  it('reads the specifiers a loader requires', () => {
    assert.deepEqual(requiredSpecifiers(`try { require.resolve('@img/sharp-libvips-linux-x64/binary'); } catch {}\nmodule.exports = require("./lib/sharp-linux-x64-0.35.5.node");`), [
      '@img/sharp-libvips-linux-x64/binary',
      './lib/sharp-linux-x64-0.35.5.node',
    ]);
  });

  it('stubs process.platform and arch for the resolution only', () => {
    const before = [process.platform, process.arch];
    assert.deepEqual(withPlatform('win32', 'arm64', () => [process.platform, process.arch]), ['win32', 'arm64']);
    assert.throws(() => withPlatform('darwin', 'x64', () => { throw new Error('inside'); }), /inside/);
    assert.deepEqual([process.platform, process.arch], before);
  });

  describe('in an unpacked tree for another platform (win32-x64, resolved on this Linux machine)', () => {
    let root: string;
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-resolve-'));
      const modules = path.join(root, 'dist/node_modules');
      // sharp's real JavaScript (its loader decides the platform package), a made-up win32 platform package
      for (const name of ['sharp', 'detect-libc', 'semver', '@img/colour', 'onnxruntime-common']) fs.cpSync(path.join(repoModules, name), path.join(modules, name), { recursive: true, dereference: true });
      const version = (JSON.parse(fs.readFileSync(path.join(repoModules, 'sharp/package.json'), 'utf8')) as { version: string }).version;
      const win = path.join(modules, '@img/sharp-win32-x64');
      fs.mkdirSync(path.join(win, 'lib'), { recursive: true });
      fs.writeFileSync(path.join(win, 'package.json'), JSON.stringify({ name: '@img/sharp-win32-x64', version, exports: { './sharp.node': './index.cjs', './package': './package.json' } }));
      fs.writeFileSync(path.join(win, 'index.cjs'), `module.exports = require('./lib/sharp-win32-x64-${version}.node');`);
      fs.writeFileSync(path.join(win, `lib/sharp-win32-x64-${version}.node`), 'MZ');
      const ort = path.join(modules, 'onnxruntime-node');
      fs.cpSync(path.join(repoModules, 'onnxruntime-node/dist'), path.join(ort, 'dist'), { recursive: true });
      fs.copyFileSync(path.join(repoModules, 'onnxruntime-node/package.json'), path.join(ort, 'package.json'));
      fs.mkdirSync(path.join(ort, 'bin/napi-v6/win32/x64'), { recursive: true });
      fs.writeFileSync(path.join(ort, 'bin/napi-v6/win32/x64/onnxruntime_binding.node'), 'MZ');
      const transformers = path.join(modules, '@huggingface/transformers');
      fs.mkdirSync(path.join(transformers, 'dist'), { recursive: true });
      fs.copyFileSync(path.join(repoModules, '@huggingface/transformers/package.json'), path.join(transformers, 'package.json'));
      fs.writeFileSync(path.join(transformers, 'dist/transformers.node.cjs'), '');
      fs.writeFileSync(path.join(root, 'dist/worker.js'), '');
      fs.writeFileSync(path.join(root, 'dist/extension.js'), '');
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('resolves sharp\'s platform package, its binary and onnxruntime\'s binding as Windows would', () => {
      const { resolved, problems } = resolveNativeParts(root, targetNamed('win32-x64'));
      assert.deepEqual(problems, []);
      assert.equal(resolved['sharp platform package'], 'dist/node_modules/@img/sharp-win32-x64/index.cjs');
      assert.match(resolved[Object.keys(resolved).find((k) => k.startsWith('sharp: ./lib/'))!], /^dist\/node_modules\/@img\/sharp-win32-x64\/lib\/sharp-win32-x64-.*\.node$/);
      assert.equal(resolved['onnxruntime_binding.node'], 'dist/node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime_binding.node');
      assert.equal(resolved['@huggingface/transformers'], 'dist/node_modules/@huggingface/transformers/dist/transformers.node.cjs');
    });

    it('names what the tree lacks for another target: win32-arm64 finds neither sharp\'s package nor the binding', () => {
      const { problems } = resolveNativeParts(root, targetNamed('win32-arm64'));
      assert.equal(problems.length, 2, problems.join('\n'));
      assert.match(problems[0], /^sharp platform package: .*@img\/sharp-win32-arm64/);
      assert.match(problems[1], /^onnxruntime_binding\.node: Cannot find module '\.\.\/bin\/napi-v6\/win32\/arm64\/onnxruntime_binding\.node'/);
    });
  });
});

describe('packaging: what every VSIX must carry', () => {
  it('every bundle the build writes to dist/ but the CLI, and the manifest\'s files', () => {
    const dist = ['extension.js', 'extension.js.map', 'worker.js', 'patternWorker.js', 'exploreWorker.js', 'cli.js', 'webviews/explore.js', 'webviews/codicon.ttf', 'webviews/codicon.css', 'node_modules/sharp/dist/index.cjs'];
    assert.deepEqual(requiredEntries(dist), [
      'package.json', 'package.nls.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'media/icon.png',
      'dist/extension.js', 'dist/worker.js', 'dist/patternWorker.js', 'dist/exploreWorker.js', 'dist/webviews/explore.js', 'dist/webviews/codicon.ttf', 'dist/webviews/codicon.css',
    ]);
  });
});
