/**
 * The deploy check passes on deploy/ as it is, and fails on copies of it broken one way at a time: proof that a
 * broken manifest cannot slip through. Run with `node --test deploy/check` (scripts/check-deploy.sh does).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDeploy, DEPLOY_DIR } from "./check.mjs";

test("every overlay and the compose file pass", async () => {
  const results = await checkDeploy();
  assert.deepEqual(results.map((r) => r.what), ["kubernetes/overlays/large", "kubernetes/overlays/small", "compose.yaml"]);
  for (const r of results) {
    assert.deepEqual(r.errors, [], `${r.what}:\n${r.errors.join("\n")}`);
    assert.ok(r.objects > 0, r.what);
  }
});

/** Errors of the check run on a copy of deploy/ with one file edited. */
async function errorsAfter(file, edit) {
  const dir = mkdtempSync(join(tmpdir(), "deploy-check-"));
  try {
    cpSync(join(DEPLOY_DIR, "kubernetes"), join(dir, "kubernetes"), { recursive: true });
    cpSync(join(DEPLOY_DIR, "compose.yaml"), join(dir, "compose.yaml"));
    const path = join(dir, file);
    const before = readFileSync(path, "utf8");
    const after = edit(before);
    assert.notEqual(after, before, `the edit of ${file} changed nothing`);
    writeFileSync(path, after);
    return (await checkDeploy(dir)).flatMap((r) => r.errors.map((e) => `${r.what}: ${e}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const broken = [
  ["a field of the wrong type", "kubernetes/base/api.yaml",
    (s) => s.replace("replicas: 2", 'replicas: "two"'), /Deployment\/microdrama-api: .*replicas must be integer/],
  ["a misspelt field", "kubernetes/base/api.yaml",
    (s) => s.replace("livenessProbe:", "livenesProbe:"), /unknown field spec\.template\.spec\.containers\[0\]\.livenesProbe/],
  ["a bad quantity", "kubernetes/base/worker.yaml",
    (s) => s.replace("limits: {memory: 3Gi}", "limits: {memory: 3 gigs}"), /Deployment\/microdrama-worker: .*memory/],
  ["a KEDA object without its required field", "kubernetes/base/worker.yaml",
    (s) => s.replace("  scaleTargetRef: {name: microdrama-worker}\n", ""), /ScaledObject\/microdrama-worker: .*scaleTargetRef/],
  ["a KEDA trigger with a misspelt field", "kubernetes/base/worker.yaml",
    (s) => s.replace("authenticationRef:", "authenticationRefs:"), /unknown field spec\.triggers\[0\]\.authenticationRefs/],
  ["a kind with no schema", "kubernetes/base/namespace.yaml",
    (s) => s.replace("kind: Namespace", "kind: Namespaces"), /no schema for v1 Namespaces/],
  ["a kustomization naming a missing file", "kubernetes/base/kustomization.yaml",
    (s) => s.replace("  - redis.yaml\n", "  - redis.yaml\n  - missing.yaml\n"), /could not render/],
  ["a reference to a missing secret key", "kubernetes/base/minio.yaml",
    (s) => s.replace("key: S3_SECRET_KEY", "key: S3_SECRET"), /Secret microdrama has no key S3_SECRET/],
  ["a Service selecting no pods", "kubernetes/base/redis.yaml",
    (s) => s.replace("  selector: {app: redis}\n  ports", "  selector: {app: rediss}\n  ports"), /Service\/redis: its selector matches no pod template/],
  ["a real-looking secret value", "kubernetes/base/secrets.yaml",
    (s) => s.replace("REPLACE-ME-ad-network-callback-secret", "s3cr3t-from-prod"), /AD_CALLBACK_SECRET is not a REPLACE-ME placeholder/],
  ["a broken overlay patch", "kubernetes/overlays/large/kustomization.yaml",
    (s) => s.replace("path: /spec/maxReplicas, value: 120", "path: /spec/maxReplicaz/0, value: 120"), /large: kustomize could not render/],
  ["a compose service with a misspelt key", "compose.yaml",
    (s) => s.replace("    stop_grace_period: 30s", "    stop_grace_periode: 30s"), /compose\.yaml: .*stop_grace_periode/],
  ["a compose port of the wrong type", "compose.yaml",
    (s) => s.replace('ports: ["8080:8080"]', "ports: {http: 8080}"), /compose\.yaml: \/services\/api\/ports must be array/],
];

for (const [what, file, edit, expected] of broken) {
  test(`rejects ${what}`, async () => {
    const errors = await errorsAfter(file, edit);
    assert.ok(errors.some((e) => expected.test(e)), `expected ${expected} among:\n${errors.join("\n") || "(no errors)"}`);
  });
}
