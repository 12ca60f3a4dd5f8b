// Exit 0 when two multi-document YAML files hold the same objects. quarkus-kubernetes does not keep the order of a
// container's env entries from one build to the next, so lists of named entries are compared as sets (by name).
// Usage: node kube-same.mjs <npm-dir> <a.yaml> <b.yaml>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const [npmDir, a, b] = process.argv.slice(2);
const yaml = (await import(pathToFileURL(join(npmDir, 'node_modules/js-yaml/dist/js-yaml.mjs')))).default;
const canonical = node => {
  if (Array.isArray(node)) {
    const items = node.map(canonical);
    const named = items.length > 0 && items.every(i => i && typeof i === 'object' && typeof i.name === 'string');
    return named ? items.sort((x, y) => x.name.localeCompare(y.name)) : items;
  }
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.keys(node).sort().map(k => [k, canonical(node[k])]));
  }
  return node;
};
const load = f => yaml.loadAll(readFileSync(f, 'utf8')).filter(o => o).map(canonical);
process.exit(isDeepStrictEqual(load(a), load(b)) ? 0 : 1);
