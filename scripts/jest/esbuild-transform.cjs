// Jest transform for the Node-side tests: TypeScript (and ESM-only packages) to CommonJS with esbuild.
'use strict';
const { transformSync } = require('esbuild');
const { createHash } = require('node:crypto');

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha1').update(filename).update('\0').update(source).update('v1').digest('hex');
  },
  process(source, filename) {
    const loader = filename.endsWith('.ts') ? 'ts' : 'js';
    const result = transformSync(source, {
      loader,
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: filename,
      supported: { 'dynamic-import': false }
    });
    return { code: result.code };
  }
};
