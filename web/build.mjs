// Builds dist/securemedia.js from src/ with esbuild, deterministically (the
// pinned esbuild of package-lock.json, no timestamps, no source paths of
// this machine). With --check it builds in memory and fails when the
// committed bundle differs, so CI catches a bundle not rebuilt.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const outfile = join(root, 'dist', 'securemedia.js');

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['src/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  charset: 'utf8',
  legalComments: 'eof',
  banner: { js: '// securemedia session protocol for the browser. Built from web/src by `npm run build`; do not edit.' },
  outfile,
  write: false,
  logLevel: 'warning',
});
const [file] = result.outputFiles;

if (process.argv.includes('--check')) {
  const committed = await readFile(outfile).catch(() => null);
  if (!committed || Buffer.compare(committed, Buffer.from(file.contents)) !== 0) {
    console.error('dist/securemedia.js is not the build of src/: run `npm run build` in web/ and commit the result');
    process.exit(1);
  }
  console.log('dist/securemedia.js matches the build of src/');
} else {
  await mkdir(dirname(outfile), { recursive: true });
  await writeFile(outfile, file.contents);
  console.log(`wrote dist/securemedia.js (${file.contents.length} bytes)`);
}
