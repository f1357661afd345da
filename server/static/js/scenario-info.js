// What the new-game form needs to know about a scenario: its actors (for the human-seat checkboxes) and its length.
// Uses the API's `actors`/`turns` fields when the server sends them; otherwise reads them from the YAML text,
// following `extends:` to the parent scenario (a variant usually lists only what it changes).
import { api } from "./common.js";

function unquote(s) {
  s = (s || "").trim().replace(/\s+#.*$/, "").trim();
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) s = s.slice(1, -1);
  return s;
}

/** Top-level scalar `key: value` of a YAML document (first occurrence), or null. */
export function topScalar(text, key) {
  const m = new RegExp(`^${key}:[ \\t]*([^\\n]*)$`, "m").exec(text);
  if (!m) return null;
  const v = unquote(m[1]);
  return v === "" ? null : v;
}

/** Actors listed under the top-level `actors:` mapping, in file order: [{id, name, color}]. */
export function actorsFromYaml(text) {
  const lines = text.split(/\r?\n/);
  const out = [];
  let inside = false, indent = null, cur = null;
  for (const raw of lines) {
    const line = raw.replace(/\t/g, "  ");
    if (!inside) {
      const m = /^actors:\s*(\{.*)?$/.exec(line.replace(/\s+#.*$/, ""));
      if (m) {
        inside = true;
        if (m[1]) { // flow style on one line: actors: {RUS: {...}, SYR: {...}}
          for (const k of m[1].matchAll(/[{,]\s*([A-Za-z0-9_]+)\s*:\s*\{([^}]*)\}/g)) {
            const name = /(?:^|,)\s*name:\s*([^,]+)/.exec(k[2]);
            out.push({ id: k[1], name: name ? unquote(name[1]) : k[1], color: null });
          }
          break;
        }
      }
      continue;
    }
    if (/^\S/.test(line) && !line.startsWith("#")) break; // next top-level key
    if (!line.trim() || line.trim().startsWith("#")) continue;
    const key = /^(\s+)([A-Za-z0-9_]+)\s*:\s*(.*)$/.exec(line);
    if (!key) continue;
    const ind = key[1].length;
    if (indent === null) indent = ind;
    if (ind === indent) {
      cur = { id: key[2], name: key[2], color: null };
      out.push(cur);
      const flow = key[3];
      if (flow.startsWith("{")) {
        const n = /[{,]\s*name:\s*([^,}]+)/.exec(flow);
        const c = /[{,]\s*color:\s*([^,}]+)/.exec(flow);
        if (n) cur.name = unquote(n[1]);
        if (c) cur.color = unquote(c[1]);
      }
    } else if (cur && ind > indent) {
      if (key[2] === "name" && cur.name === cur.id && key[3]) cur.name = unquote(key[3]);
      if (key[2] === "color" && key[3]) cur.color = unquote(key[3]);
    }
  }
  return out;
}

/** {id, name, description, actors: [{id, name, color}], turns} for a scenario id, following `extends:`. */
export async function scenarioInfo(id, depth = 0) {
  const sc = await api(`/api/scenarios/${encodeURIComponent(id)}`);
  if (Array.isArray(sc.actors) && sc.actors.length) {
    const actors = sc.actors.map((a) => (typeof a === "string" ? { id: a, name: a, color: null } : a));
    return { ...sc, actors, turns: sc.turns ?? (Number(topScalar(sc.yaml || "", "turns")) || null) };
  }
  const text = sc.yaml || "";
  let actors = actorsFromYaml(text);
  let turns = Number(topScalar(text, "turns")) || null;
  const parent = sc.extends || topScalar(text, "extends");
  if (parent && depth < 5) {
    try {
      const p = await scenarioInfo(parent.replace(/\.ya?ml$/, "").replace(/^.*\//, ""), depth + 1);
      const mine = new Map(actors.map((a) => [a.id, a]));
      const merged = p.actors.map((a) => ({ ...a, ...(mine.get(a.id) || {}),
        name: mine.get(a.id)?.name !== a.id ? (mine.get(a.id)?.name || a.name) : a.name,
        color: mine.get(a.id)?.color || a.color }));
      for (const a of actors) if (!merged.some((m) => m.id === a.id)) merged.push(a);
      actors = merged;
      turns = turns || p.turns;
    } catch { /* parent unknown: keep what the child lists */ }
  }
  return { ...sc, actors, turns };
}
