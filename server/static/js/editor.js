// Config editor: a YAML textarea with line numbers, validated as you type (POST /api/scenarios/validate),
// errors highlighted at their line and listed as file:line: field: message; save as a user scenario, diff, play.
import { api, ApiError, debounce, h, toast } from "./common.js";

const $ = (id) => document.getElementById(id);
const ta = $("yaml");
const LH = 20, PAD = 8; // line height and top padding in px, as in app.css (.code)
let scenarios = [];
let opened = null;      // the scenario as loaded {id, name, builtin, extends, yaml}
let savedId = null;     // id of the user scenario saved from this page (for diff / play)
let seq = 0;            // validation request counter (answers to stale requests are ignored)
let errors = [];

// ---------------------------------------------------------------------------------------------- gutter
function lineCount() { return ta.value.split("\n").length; }

function renderGutter() {
  const n = lineCount();
  const bad = new Set(errors.map((e) => e.line).filter((l) => Number.isInteger(l)));
  const g = $("gutter");
  g.replaceChildren(...Array.from({ length: n }, (_, i) => {
    const line = i + 1;
    return bad.has(line) ? h("span", { class: "err", dataset: { line } }, String(line)) : String(line);
  }).flatMap((x, i) => (i < n - 1 ? [x, "\n"] : [x])));
  syncScroll();
}

function renderHighlights() {
  const box = $("backdrop");
  const lines = [...new Set(errors.map((e) => e.line).filter((l) => Number.isInteger(l) && l >= 1))];
  box.replaceChildren(...lines.map((l) => h("div", { class: "hl", dataset: { line: l }, style: { top: `${PAD + (l - 1) * LH}px` } })));
  syncScroll();
}

function syncScroll() {
  $("gutter").scrollTop = ta.scrollTop;
  $("backdrop").style.transform = `translateY(${-ta.scrollTop}px)`;
}

function goToLine(line) {
  const lines = ta.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((s, l) => s + l.length + 1, 0);
  ta.focus();
  ta.setSelectionRange(start, start + (lines[line - 1] || "").length);
  ta.scrollTop = Math.max(0, (line - 5) * LH);
  syncScroll();
}

// ---------------------------------------------------------------------------------------------- validation
function fileName() { return `${(opened && opened.id) || "scenario"}.yaml`; }

function renderErrors() {
  const list = $("errors");
  const state = $("valid-state");
  renderGutter();
  renderHighlights();
  if (!errors.length) {
    list.replaceChildren();
    state.className = "valid-state ok";
    state.textContent = "✓ valid";
    return;
  }
  state.className = "valid-state bad";
  state.textContent = `${errors.length} error${errors.length > 1 ? "s" : ""}`;
  list.replaceChildren(...errors.map((e) => {
    const where = [e.file || fileName(), Number.isInteger(e.line) ? e.line : null].filter((x) => x !== null).join(":");
    const text = `${where}: ${e.field ? `${e.field}: ` : ""}${e.message}`;
    return h("li", { dataset: { line: e.line ?? "" }, title: Number.isInteger(e.line) ? "Go to the line" : null,
      onclick: () => { if (Number.isInteger(e.line)) goToLine(e.line); } }, text);
  }));
}

async function validate() {
  const my = ++seq;
  $("valid-state").className = "valid-state";
  $("valid-state").textContent = "checking…";
  try {
    const res = await api("/api/scenarios/validate", { method: "POST", body: { yaml: ta.value } });
    if (my !== seq) return;
    errors = res.ok ? [] : (res.errors || []);
  } catch (e) {
    if (my !== seq) return;
    errors = [{ line: null, field: null, message: e.message }];
  }
  renderErrors();
}
const validateSoon = debounce(validate, 350);

// ---------------------------------------------------------------------------------------------- open / save / diff
async function loadList() {
  scenarios = await api("/api/scenarios");
  const sel = $("ed-open");
  sel.replaceChildren(...scenarios.map((s) => h("option", { value: s.id }, `${s.name} (${s.id})${s.builtin ? "" : " — yours"}`)));
}

async function open(id) {
  let sc;
  try {
    sc = await api(`/api/scenarios/${encodeURIComponent(id)}`);
  } catch (e) {
    toast(e.message, "error");
    return;
  }
  opened = sc;
  savedId = sc.builtin ? null : sc.id;
  $("ed-open").value = sc.id;
  ta.value = sc.yaml || "";
  ta.scrollTop = 0;
  $("ed-title").textContent = sc.name || sc.id;
  $("ed-badge").className = `badge ${sc.builtin ? "builtin" : "user"}`;
  $("ed-badge").textContent = sc.builtin ? "built-in · save edits as a copy" : "yours";
  $("ed-desc").textContent = sc.description || "";
  $("ed-id").value = sc.builtin ? `${sc.id}-variant` : sc.id;
  $("diff").hidden = true;
  $("ed-save-msg").replaceChildren();
  updatePlay();
  if (location.pathname !== `/editor/${sc.id}`) history.replaceState(null, "", `/editor/${encodeURIComponent(sc.id)}`);
  errors = [];
  renderGutter();
  validate();
}

function updatePlay() {
  const id = savedId || (opened && opened.id);
  $("ed-play").href = id ? `/?scenario=${encodeURIComponent(id)}#new-game` : "/";
  $("ed-play").textContent = id ? `Start a game from ${id}` : "Start a game";
}

async function save() {
  const id = $("ed-id").value.trim();
  const msg = $("ed-save-msg");
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(id)) {
    msg.replaceChildren(h("span", { class: "notice error" }, "The id must start with a letter or digit and use only letters, digits, - and _."));
    return;
  }
  const builtin = scenarios.find((s) => s.id === id && s.builtin);
  if (builtin) {
    msg.replaceChildren(h("div", { class: "notice error" }, `${id} is a built-in scenario and is never overwritten — choose a new id.`));
    return;
  }
  $("ed-save").disabled = true;
  try {
    await api("/api/scenarios", { method: "POST", body: { id, yaml: ta.value } });
    savedId = id;
    msg.replaceChildren(h("div", { class: "notice ok" }, `Saved as ${id}. `, h("a", { href: `/?scenario=${encodeURIComponent(id)}#new-game` }, "Start a game from it")));
    await loadList();
    const sc = scenarios.find((s) => s.id === id);
    opened = { ...(opened || {}), ...(sc || {}), id, builtin: false, yaml: ta.value };
    $("ed-open").value = id;
    $("ed-title").textContent = opened.name || id;
    $("ed-badge").className = "badge user";
    $("ed-badge").textContent = "yours";
    history.replaceState(null, "", `/editor/${encodeURIComponent(id)}`);
    updatePlay();
    toast(`Saved ${id}.`, "ok");
  } catch (e) {
    if (e instanceof ApiError && e.body && Array.isArray(e.body.errors)) { errors = e.body.errors; renderErrors(); }
    msg.replaceChildren(h("div", { class: "notice error" }, e.message));
  } finally {
    $("ed-save").disabled = false;
  }
}

async function showDiff() {
  const id = savedId || (opened && opened.id);
  const pre = $("diff");
  if (!id) return;
  try {
    const d = await api(`/api/scenarios/${encodeURIComponent(id)}/diff`);
    $("ed-diff-note").textContent = d.parent ? `${id} against ${d.parent} (the saved file).` : `${id} extends no other scenario.`;
    pre.replaceChildren(...(d.diff || "(no differences)").split("\n").map((l) => h("span", {
      class: l.startsWith("+++") || l.startsWith("---") ? "hunk" : l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : l.startsWith("@@") ? "hunk" : "",
    }, `${l}\n`)));
    pre.hidden = false;
  } catch (e) {
    toast(e.message, "error");
  }
}

function newVariant() {
  if (!opened) return;
  const base = opened.id;
  ta.value = `# A variant of ${base}: everything not written here comes from ${base}.\n`
    + `extends: ${base}\nname: "${(opened.name || base).replace(/"/g, "'")} (variant)"\n`
    + `description: "What this variant changes, and why."\n`
    + `# Change only what you want to test, for example:\n# actors:\n#   USA:\n#     action_points: 4\n`;
  $("ed-id").value = `${base}-variant`;
  savedId = null;
  $("ed-title").textContent = "New variant (unsaved)";
  $("ed-badge").className = "badge user";
  $("ed-badge").textContent = "new";
  updatePlay();
  renderGutter();
  validate();
}

// ---------------------------------------------------------------------------------------------- events
ta.addEventListener("input", () => { renderGutter(); validateSoon(); });
ta.addEventListener("scroll", syncScroll);
ta.addEventListener("keydown", (e) => {
  if (e.key === "Tab" && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
    e.preventDefault();
    const s = ta.selectionStart;
    ta.setRangeText("  ", s, ta.selectionEnd, "end");
    renderGutter();
    validateSoon();
  }
});
$("ed-open").addEventListener("change", (e) => open(e.target.value));
$("ed-save").addEventListener("click", save);
$("ed-diff").addEventListener("click", showDiff);
$("ed-variant").addEventListener("click", newVariant);

(async function init() {
  try {
    await loadList();
  } catch (e) {
    toast(e.message, "error");
    return;
  }
  const want = $("editor").dataset.scenarioId;
  const first = scenarios.find((s) => s.id === want) || scenarios.find((s) => s.id === "baseline-2025") || scenarios[0];
  if (want && !scenarios.some((s) => s.id === want)) toast(`There is no scenario ${want}.`, "error");
  if (first) await open(first.id);
  $("editor").dataset.ready = "1";
})();
