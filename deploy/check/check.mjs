/**
 * Checks deploy/ offline: each kustomize overlay rendered (`kubectl kustomize`), every rendered object validated
 * against the Kubernetes and KEDA schemas (npm's kubernetes-models), unknown fields refused, references between
 * objects resolved, Secrets holding placeholders only; and deploy/compose.yaml validated against the Compose
 * specification's JSON schema. `node check.mjs [DEPLOY_DIR]` prints every problem and exits 1 if there is one.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, parse } from "yaml";
import Ajv from "ajv";
import { unknownFields } from "./strict-fields.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEPLOY_DIR = resolve(HERE, "..");
const PLACEHOLDER = "REPLACE-ME";

/** The rendered objects of one overlay; throws with kustomize's message when it does not render. */
export function render(overlayDir) {
  const kubectl = process.env.KUBECTL || "kubectl";
  let out;
  try {
    out = execFileSync(kubectl, ["kustomize", overlayDir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    if (e.code === "ENOENT") {
      throw new Error(`${kubectl} not found: kubectl 1.27+ (kustomize v5) renders the overlays; set KUBECTL`);
    }
    throw new Error(`kustomize could not render ${overlayDir}: ${String(e.stderr || e.message).trim()}`);
  }
  return parseAllDocuments(out).map((d) => d.toJSON()).filter((o) => o);
}

/** The model class for an apiVersion and kind, from kubernetes-models or its KEDA package. */
async function modelOf(apiVersion, kind) {
  const pkg = apiVersion.startsWith("keda.sh/") || apiVersion.startsWith("eventing.keda.sh/")
    ? "@kubernetes-models/keda" : "kubernetes-models";
  try {
    const mod = await import(`${pkg}/${apiVersion}/${kind}`);
    return { Model: mod[kind], dts: join(HERE, "node_modules", pkg, apiVersion, `${kind}.d.ts`) };
  } catch {
    return null;
  }
}

function nameOf(o) {
  return `${o.kind}/${o.metadata?.name ?? "?"}`;
}

/** Schema problems of one object: the model's own validation, then fields the schema does not know. */
export async function validateObject(o) {
  if (!o.apiVersion || !o.kind) {
    return [`an object without apiVersion or kind: ${JSON.stringify(o).slice(0, 80)}`];
  }
  const model = await modelOf(o.apiVersion, o.kind);
  if (!model) {
    return [`${nameOf(o)}: no schema for ${o.apiVersion} ${o.kind}`];
  }
  const errors = [];
  try {
    new model.Model(o).validate();
  } catch (e) {
    errors.push(`${nameOf(o)}: ${e.message}`);
  }
  for (const path of unknownFields(o, model.dts)) {
    errors.push(`${nameOf(o)}: unknown field ${path}`);
  }
  return errors;
}

function podSpecOf(o) {
  if (o.kind === "Pod") return o.spec;
  if (o.kind === "CronJob") return o.spec?.jobTemplate?.spec?.template?.spec;
  return o.spec?.template?.spec;
}

function podLabelsOf(o) {
  return o.kind === "Pod" ? o.metadata?.labels : o.spec?.template?.metadata?.labels;
}

/** What a cluster would only find at run time: references to objects or keys that the overlay does not contain. */
export function checkReferences(objects) {
  const errors = [];
  const byKind = (kind) => new Map(objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));
  const secrets = byKind("Secret");
  const configMaps = byKind("ConfigMap");
  const services = byKind("Service");
  const keysOf = (o) => new Set([...Object.keys(o?.data ?? {}), ...Object.keys(o?.stringData ?? {})]);
  const need = (where, kind, map, name, key) => {
    if (!map.has(name)) errors.push(`${where}: ${kind} ${name} does not exist`);
    else if (key !== undefined && !keysOf(map.get(name)).has(key)) errors.push(`${where}: ${kind} ${name} has no key ${key}`);
  };
  const workloads = objects.filter((o) => podSpecOf(o));
  const podLabels = workloads.map(podLabelsOf).filter(Boolean);
  const matchesAPod = (selector) => podLabels.some((labels) =>
    Object.entries(selector).every(([k, v]) => labels[k] === v));

  for (const w of workloads) {
    const spec = podSpecOf(w);
    const where = nameOf(w);
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      for (const e of c.env ?? []) {
        const s = e.valueFrom?.secretKeyRef;
        const m = e.valueFrom?.configMapKeyRef;
        if (s && !s.optional) need(`${where} env ${e.name}`, "Secret", secrets, s.name, s.key);
        if (m && !m.optional) need(`${where} env ${e.name}`, "ConfigMap", configMaps, m.name, m.key);
      }
      for (const f of c.envFrom ?? []) {
        if (f.secretRef && !f.secretRef.optional) need(`${where} envFrom`, "Secret", secrets, f.secretRef.name);
        if (f.configMapRef && !f.configMapRef.optional) need(`${where} envFrom`, "ConfigMap", configMaps, f.configMapRef.name);
      }
      const volumes = new Set((spec.volumes ?? []).map((v) => v.name));
      for (const t of w.spec?.volumeClaimTemplates ?? []) volumes.add(t.metadata.name);
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.has(m.name)) errors.push(`${where}: container ${c.name} mounts an undeclared volume ${m.name}`);
      }
    }
    for (const v of spec.volumes ?? []) {
      if (v.secret && !v.secret.optional) need(`${where} volume ${v.name}`, "Secret", secrets, v.secret.secretName);
      if (v.configMap && !v.configMap.optional) need(`${where} volume ${v.name}`, "ConfigMap", configMaps, v.configMap.name);
    }
    const selector = w.spec?.selector?.matchLabels;
    const labels = podLabelsOf(w) ?? {};
    if (selector && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
      errors.push(`${where}: its selector does not match its pod template's labels`);
    }
  }
  for (const o of objects) {
    const where = nameOf(o);
    if (o.kind === "Service" && o.spec?.selector && !matchesAPod(o.spec.selector)) {
      errors.push(`${where}: its selector matches no pod template`);
    }
    if (o.kind === "PodDisruptionBudget" && !matchesAPod(o.spec?.selector?.matchLabels ?? {})) {
      errors.push(`${where}: its selector matches no pod template`);
    }
    if (o.kind === "NetworkPolicy") {
      const selectors = [o.spec?.podSelector, ...[...(o.spec?.ingress ?? []).flatMap((r) => r.from ?? []),
        ...(o.spec?.egress ?? []).flatMap((r) => r.to ?? [])].filter((p) => !p.namespaceSelector).map((p) => p.podSelector)];
      for (const s of selectors.filter((s) => s?.matchLabels)) {
        if (!matchesAPod(s.matchLabels)) errors.push(`${where}: pod selector ${JSON.stringify(s.matchLabels)} matches no pod template`);
      }
    }
    const target = o.kind === "HorizontalPodAutoscaler" || o.kind === "ScaledObject" ? o.spec?.scaleTargetRef : null;
    if (target) {
      const kind = target.kind ?? "Deployment";
      if (!objects.some((t) => t.kind === kind && t.metadata.name === target.name)) {
        errors.push(`${where}: scale target ${kind}/${target.name} does not exist`);
      }
    }
    if (o.kind === "ScaledObject") {
      for (const t of o.spec?.triggers ?? []) {
        const ref = t.authenticationRef?.name;
        if (ref && !objects.some((a) => a.kind === (t.authenticationRef.kind ?? "TriggerAuthentication") && a.metadata.name === ref)) {
          errors.push(`${where}: trigger ${t.type} names a missing TriggerAuthentication ${ref}`);
        }
      }
    }
    if (o.kind === "TriggerAuthentication") {
      for (const s of o.spec?.secretTargetRef ?? []) need(`${where} ${s.parameter}`, "Secret", secrets, s.name, s.key);
    }
    if (o.kind === "Ingress") {
      for (const p of (o.spec?.rules ?? []).flatMap((r) => r.http?.paths ?? [])) {
        const b = p.backend?.service;
        const svc = b && services.get(b.name);
        if (b && !svc) errors.push(`${where}: backend service ${b.name} does not exist`);
        else if (b?.port?.name && !(svc.spec?.ports ?? []).some((sp) => sp.name === b.port.name)) {
          errors.push(`${where}: service ${b.name} has no port named ${b.port.name}`);
        }
      }
    }
  }
  return errors;
}

/** Secrets in git hold placeholders only: a value without REPLACE-ME may be a real secret. */
export function checkSecretsArePlaceholders(objects) {
  const errors = [];
  for (const s of objects.filter((o) => o.kind === "Secret")) {
    const values = { ...s.stringData };
    for (const [k, v] of Object.entries(s.data ?? {})) values[k] = Buffer.from(v, "base64").toString("utf8");
    for (const [k, v] of Object.entries(values)) {
      if (!String(v).includes(PLACEHOLDER)) errors.push(`${nameOf(s)}: ${k} is not a ${PLACEHOLDER} placeholder`);
    }
  }
  return errors;
}

/** Every problem of one overlay. */
export async function checkOverlay(overlayDir) {
  let objects;
  try {
    objects = render(overlayDir);
  } catch (e) {
    return { objects: 0, errors: [e.message] };
  }
  const errors = [];
  for (const o of objects) errors.push(...(await validateObject(o)));
  errors.push(...checkReferences(objects), ...checkSecretsArePlaceholders(objects));
  return { objects: objects.length, errors };
}

/** Problems of a compose file against the Compose specification's schema (as shipped by dclint). */
export function checkCompose(file) {
  let doc;
  try {
    doc = parse(readFileSync(file, "utf8"), { merge: true });
  } catch (e) {
    return [`${file}: not YAML: ${e.message}`];
  }
  const schema = JSON.parse(readFileSync(join(HERE, "node_modules/dclint/schemas/compose.schema.json"), "utf8"));
  delete schema.$schema; // draft-07, which Ajv knows; the https spelling of its address is not one it resolves
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (validate(doc)) return [];
  return validate.errors.map((e) => `${file}: ${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? `: ${e.params.additionalProperty}` : ""}`);
}

/** Every overlay under kubernetes/overlays and compose.yaml of a deploy directory. */
export async function checkDeploy(deployDir = DEPLOY_DIR) {
  const results = [];
  const overlays = join(deployDir, "kubernetes", "overlays");
  for (const name of readdirSync(overlays).sort()) {
    const r = await checkOverlay(join(overlays, name));
    results.push({ what: `kubernetes/overlays/${name}`, ...r });
  }
  const compose = join(deployDir, "compose.yaml");
  results.push({ what: "compose.yaml", objects: 1, errors: existsSync(compose) ? checkCompose(compose) : ["missing"] });
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await checkDeploy(process.argv[2] ? resolve(process.argv[2]) : DEPLOY_DIR);
  let failed = false;
  for (const r of results) {
    console.log(`${r.errors.length ? "FAIL" : "ok  "} ${r.what} (${r.objects} objects)`);
    for (const e of r.errors) console.log(`     ${e}`);
    failed ||= r.errors.length > 0;
  }
  process.exit(failed ? 1 : 0);
}
