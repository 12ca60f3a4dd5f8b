// Reads a rendered Kustomize output (multi-document YAML), validates every object against the current Kubernetes
// JSON schemas (npm kubernetes-models), and splits it: the objects whose apiVersion the API server under test serves
// go to a List for `kubectl apply`; the others (kinds newer than that server, e.g. autoscaling/v2, policy/v1) are
// checked by the schemas alone — never downgraded. Exit 1 on any invalid or unknown object.
// Usage: node kube-manifests.mjs <npm-dir> <rendered.yaml> <served-api-versions.txt> <out-served.json>
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [npmDir, renderedFile, servedFile, outFile] = process.argv.slice(2);
const yaml = (await import(pathToFileURL(join(npmDir, 'node_modules/js-yaml/dist/js-yaml.mjs')))).default;
const served = new Set(readFileSync(servedFile, 'utf8').split(/\s+/).filter(Boolean));
const objects = yaml.loadAll(readFileSync(renderedFile, 'utf8')).filter(o => o);

const failures = [];
const toApply = [];
const schemaOnly = {};
for (const obj of objects) {
  const id = `${obj.apiVersion} ${obj.kind} ${obj.metadata?.name}`;
  const modelFile = join(npmDir, 'node_modules/kubernetes-models', obj.apiVersion, 'index.js');
  let Model;
  if (existsSync(modelFile)) {
    Model = (await import(pathToFileURL(modelFile)))[obj.kind];
  }
  if (!Model) {
    failures.push(`${id}: no current schema knows this kind`);
    continue;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    failures.push(`${id}: ${e.message}`);
    continue;
  }
  if (served.has(obj.apiVersion)) {
    toApply.push(obj);
  } else {
    const key = `${obj.kind} (${obj.apiVersion})`;
    schemaOnly[key] = (schemaOnly[key] || 0) + 1;
  }
}
for (const [kind, n] of Object.entries(schemaOnly)) {
  console.log(`  schema-checked, not served by this API server: ${n} x ${kind}`);
}
if (failures.length) {
  for (const f of failures) console.error(`  REFUSED by the schemas: ${f}`);
  process.exit(1);
}
writeFileSync(outFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: toApply }, null, 1));
console.log(`  ${objects.length} objects valid against the current schemas; ${toApply.length} to apply`);
