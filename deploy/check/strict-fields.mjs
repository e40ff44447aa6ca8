/**
 * Finds fields that the Kubernetes (or KEDA) schema does not know, as `kubectl apply --validate=strict` would: the
 * models' compiled validators accept any extra property, so a typo such as `livenesProbe` would pass them. The field
 * names come from the models' own TypeScript declarations (one interface per schema definition).
 */
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const NODE_MODULES = join(dirname(fileURLToPath(import.meta.url)), "node_modules");
const files = new Map();

/** Splits `text` at `sep` where no bracket is open. */
function splitTop(text, sep) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "<" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ">" || c === ")" || c === "]") depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length);
}

/** The body between the brace at `open` and its match. */
function braced(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error("unbalanced braces");
}

function objectType(body, file) {
  const props = new Map();
  for (const member of splitTop(body, ";")) {
    const index = member.match(/^\[\s*\w+\s*:\s*string\s*\]\s*:\s*([\s\S]+)$/);
    if (index) return { map: typeOf(index[1], file) };
    const prop = member.match(/^"?([^"?:]+)"?\??\s*:\s*([\s\S]+)$/);
    if (prop) props.set(prop[1], prop[2]);
  }
  return { props, file };
}

/** A type expression as a descriptor: object (props), map, array, a reference to another file, or a leaf. */
function typeOf(expr, file) {
  const alternatives = splitTop(expr, "|").filter((t) => t !== "null" && t !== "undefined");
  if (alternatives.length !== 1) return { leaf: true };
  const t = alternatives[0];
  const array = t.match(/^Array<([\s\S]+)>$/);
  if (array) return { array: typeOf(array[1], file) };
  if (t.startsWith("{")) return objectType(braced(t, 0), file);
  const ref = load(file).imports.get(t);
  if (ref) return { ref };
  return { leaf: true };
}

/** A declaration file: its imports, and its first interface (the definition it is named after). */
function load(file) {
  if (files.has(file)) return files.get(file);
  const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  const imports = new Map();
  for (const [, names, from] of text.matchAll(/import\s*\{([^}]+)\}\s*from\s*"([^"]+)"/g)) {
    const target = from.startsWith(".")
      ? resolve(dirname(file), from.replace(/\.js$/, "") + ".d.ts")
      : join(NODE_MODULES, from.replace(/\.js$/, "") + ".d.ts");
    for (const n of names.split(",")) {
      const local = n.trim().split(/\s+as\s+/).pop();
      if (local && existsSync(target)) imports.set(local, target);
    }
  }
  const entry = { imports, text, type: null };
  files.set(file, entry);
  const start = text.search(/export interface I\w+(?:\s+extends\s+[\w, ]+)?\s*\{/);
  entry.type = start < 0 ? { leaf: true } : objectType(braced(text, text.indexOf("{", start)), file);
  return entry;
}

function walk(value, type, path, out) {
  if (value === null || value === undefined || type.leaf) return;
  if (type.ref) return walk(value, load(type.ref).type, path, out);
  if (type.array) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, type.array, `${path}[${i}]`, out));
    return;
  }
  if (typeof value !== "object" || Array.isArray(value)) return;
  if (type.map) {
    for (const [k, v] of Object.entries(value)) walk(v, type.map, `${path}.${k}`, out);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const fieldType = type.props.get(k);
    if (fieldType === undefined) out.push(`${path}.${k}`.replace(/^\./, ""));
    else walk(v, typeOf(fieldType, type.file), `${path}.${k}`, out);
  }
}

/** The paths of every field of `object` that its model's declaration (`dtsFile`) does not list. */
export function unknownFields(object, dtsFile) {
  const out = [];
  walk(object, load(dtsFile).type, "", out);
  return out;
}
