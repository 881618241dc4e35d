// Builds dist/ from src/ and page/: esbuild bundles src/index.ts (the
// protocol, the player and the page's code) into dist/securemedia.js,
// deterministically (the pinned esbuild of package-lock.json, no
// timestamps, no source paths of this machine), and the page's static
// files (page/: index.html, main.js, style.css) are copied beside it. With
// --check it builds in memory and fails when the committed dist/ differs,
// so CI catches a bundle not rebuilt.
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const distDir = join(root, 'dist');
const outfile = join(distDir, 'securemedia.js');

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['src/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  charset: 'utf8',
  legalComments: 'eof',
  banner: { js: '// securemedia session protocol and player for the browser. Built from web/src by `npm run build`; do not edit.' },
  outfile,
  write: false,
  logLevel: 'warning',
});

// Every file dist/ must hold, and its bytes.
const want = new Map([['securemedia.js', Buffer.from(result.outputFiles[0].contents)]]);
for (const name of (await readdir(join(root, 'page'))).sort()) want.set(name, await readFile(join(root, 'page', name)));

if (process.argv.includes('--check')) {
  const have = (await readdir(distDir).catch(() => [])).sort();
  const stale = [...want.keys()].filter((n) => !have.includes(n));
  for (const [name, bytes] of want) {
    const committed = await readFile(join(distDir, name)).catch(() => null);
    if (!committed || Buffer.compare(committed, bytes) !== 0) stale.push(name);
  }
  const extra = have.filter((n) => !want.has(n));
  if (stale.length || extra.length) {
    console.error(`dist/ is not the build of src/ and page/ (${[...new Set([...stale, ...extra])].join(', ')}): run \`npm run build\` in web/ and commit the result`);
    process.exit(1);
  }
  console.log('dist/ matches the build of src/ and page/');
} else {
  await mkdir(distDir, { recursive: true });
  for (const [name, bytes] of want) await writeFile(join(distDir, name), bytes);
  console.log(`wrote dist/ (securemedia.js: ${want.get('securemedia.js').length} bytes; ${[...want.keys()].slice(1).join(', ')})`);
}
