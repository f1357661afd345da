// Config editor: the YAML in CodeMirror 5 (vendored: highlighting, line numbers, folding by indentation), validated
// as you type (POST /api/scenarios/validate), each error marked at its line and listed as file:line: field: message
// under the name of the file being edited; save as a user scenario, diff, and start a game of the text itself.
import { api, ApiError, actorColors, debounce, h, owners, shortName, toast } from "./common.js";

const $ = (id) => document.getElementById(id);
const ta = $("yaml");
let scenarios = [];
let opened = null;      // the scenario as loaded {id, name, builtin, extends, yaml}
let savedId = null;     // id of the user scenario saved from this page (for diff / play)
let savedText = null;   // the text as loaded or last saved: anything else is unsaved
let variant = false;    // a new variant, not saved yet: its file is the one named in "Save as"
let seq = 0;            // validation request counter (answers to stale requests are ignored)
let errors = [];
let lastValid = null;   // the last validation that passed: {name, actors}
const DIFF_NOTE = $("ed-diff-note").textContent;   // what "Show diff" does, until it is pressed

// ---------------------------------------------------------------------------------------------- the editor
/** CodeMirror when its vendored files loaded, else the plain text area (the page still works without it). */
const cm = window.CodeMirror ? window.CodeMirror.fromTextArea(ta, {
  mode: "yaml", lineNumbers: true, indentUnit: 2, tabSize: 2, indentWithTabs: false, lineWrapping: false,
  foldGutter: true, foldOptions: { rangeFinder: window.CodeMirror.fold.indent, widget: " … " },
  gutters: ["cm-errors", "CodeMirror-linenumbers", "CodeMirror-foldgutter"],
  extraKeys: { Tab: (c) => c.replaceSelection("  ", "end"), "Ctrl-Q": (c) => c.foldCode(c.getCursor()) },
  viewportMargin: 40,
}) : null;
if (!cm) $("code").classList.add("plain");

const text = () => (cm ? cm.getValue() : ta.value);
function setText(v) {
  if (cm) { cm.setValue(v); cm.clearHistory(); cm.scrollTo(0, 0); } else { ta.value = v; ta.scrollTop = 0; }
}

function markErrors() {
  if (!cm) return;
  cm.operation(() => {
    for (let i = 0; i < cm.lineCount(); i++) cm.removeLineClass(i, "background", "cm-error-line");
    cm.clearGutter("cm-errors");
    const lines = [...new Set(errors.map((e) => e.line).filter((l) => Number.isInteger(l) && l >= 1 && l <= cm.lineCount()))];
    for (const l of lines) {
      cm.addLineClass(l - 1, "background", "cm-error-line");
      const mark = h("span", { class: "cm-error-marker", dataset: { line: l }, title: errors.filter((e) => e.line === l).map((e) => e.message).join("\n") }, "●");
      cm.setGutterMarker(l - 1, "cm-errors", mark);
    }
  });
}

function goToLine(line) {
  if (!cm) {
    const lines = ta.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((s, l) => s + l.length + 1, 0);
    ta.focus();
    ta.setSelectionRange(start, start + (lines[line - 1] || "").length);
    return;
  }
  const l = Math.max(0, Math.min(cm.lineCount() - 1, line - 1));
  cm.setSelection({ line: l, ch: 0 }, { line: l, ch: cm.getLine(l).length });
  cm.scrollIntoView({ line: l, ch: 0 }, 120);
  cm.focus();
}

// ---------------------------------------------------------------------------------------------- the file being edited
/** The name of the file the text in the editor is (or will be once saved). */
function fileName() {
  const id = variant ? ($("ed-id").value.trim() || "new-variant") : (savedId || (opened && opened.id) || "scenario");
  return `${id}.yaml`;
}

function dirty() { return savedText === null || text() !== savedText; }

function renderFile() {
  const unsaved = variant ? "new, not saved yet" : dirty() ? "changed, not saved" : "saved";
  $("ed-file").textContent = `Editing ${fileName()} (${unsaved})`;
  const id = savedId || (opened && !opened.builtin ? opened.id : null) || (opened && opened.id);
  const play = $("ed-play");
  play.hidden = variant || dirty() || !id;
  if (id) {
    play.href = `/?scenario=${encodeURIComponent(id)}#new-game`;
    play.textContent = `New game from ${id} on the home page`;
  }
}

// ---------------------------------------------------------------------------------------------- validation
function renderErrors() {
  const list = $("errors");
  const state = $("valid-state");
  markErrors();
  renderFile();
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
    const line = `${where}: ${e.field ? `${e.field}: ` : ""}${e.message}`;
    return h("li", { dataset: { line: e.line ?? "" }, title: Number.isInteger(e.line) ? "Go to the line" : null,
      onclick: () => { if (Number.isInteger(e.line)) goToLine(e.line); } }, line);
  }));
}

async function validate() {
  const my = ++seq;
  $("valid-state").className = "valid-state";
  $("valid-state").textContent = "checking…";
  try {
    const res = await api("/api/scenarios/validate", { method: "POST", body: { yaml: text() } });
    if (my !== seq) return;
    errors = res.ok ? [] : (res.errors || []);
    lastValid = res.ok ? { name: res.name, actors: res.actors || [] } : null;
  } catch (e) {
    if (my !== seq) return;
    errors = [{ line: null, field: null, message: e.message }];
    lastValid = null;
  }
  renderErrors();
  renderSeats();
}
const validateSoon = debounce(validate, 350);

// ---------------------------------------------------------------------------------------------- play this text
let seatActors = "";
function renderSeats() {
  const box = $("ed-seats");
  $("ed-start").disabled = !lastValid;
  if (!lastValid) { if (!seatActors) box.replaceChildren(h("span", { class: "muted small" }, "Valid text needed.")); return; }
  const key = lastValid.actors.map((a) => `${a.id}:${a.name}`).join("|");
  if (key === seatActors) return;                               // keep the ticks while the actors stay the same
  const ticked = new Set([...box.querySelectorAll("input:checked")].map((i) => i.value));
  seatActors = key;
  const colors = actorColors(lastValid.actors);
  box.replaceChildren(...lastValid.actors.map((a) => h("label", { class: "seat-option", title: `${a.name} (${a.id})` },
    h("input", { type: "checkbox", name: "human", value: a.id, checked: ticked.has(a.id) }),
    h("span", { class: "dot", style: { background: colors[a.id] } }), h("span", {}, shortName(a.name)))));
}

async function startGame() {
  const msg = $("ed-start-msg");
  const human = [...document.querySelectorAll('#ed-seats input[name="human"]:checked')].map((i) => i.value);
  const body = { yaml: text(), human, scenario: (opened && opened.id) || null };
  const seed = $("ed-seed").value.trim(), turns = $("ed-turns").value.trim();
  if (seed !== "") body.seed = Number(seed);
  if (turns !== "") body.turns = Number(turns);
  $("ed-start").disabled = true;
  try {
    const g = await api("/api/games/from-yaml", { method: "POST", body });
    owners.set("game", g.id, g.owner_token);
    const abs = (p) => new URL(p, location.origin).href;
    const links = human.length
      ? human.map((a) => h("div", {}, h("a", { class: "button small", href: g.seat_urls[a], dataset: { seat: a } }, `Play ${a}`),
        " ", h("span", { class: "small muted" }, "the seat's secret link — open it yourself or share it")))
      : [h("a", { class: "button small primary", href: g.watch_url, dataset: { watch: "1" } }, "Open the game")];
    msg.replaceChildren(h("div", { class: "notice ok", id: "ed-started", dataset: { game: g.id } },
      h("div", {}, `Game ${g.id} of ${g.scenario_name} created.`), ...links,
      h("div", { class: "small muted" }, "Watch link: ", abs(g.watch_url))));
  } catch (e) {
    if (e instanceof ApiError && e.body && Array.isArray(e.body.errors)) { errors = e.body.errors; renderErrors(); }
    msg.replaceChildren(h("div", { class: "notice error" }, e.message));
  } finally {
    $("ed-start").disabled = !lastValid;
  }
}

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
  variant = false;
  savedId = sc.builtin ? null : sc.id;
  savedText = sc.yaml || "";
  $("ed-open").value = sc.id;
  setText(sc.yaml || "");
  $("ed-title").textContent = sc.name || sc.id;
  $("ed-badge").className = `badge ${sc.builtin ? "builtin" : "user"}`;
  $("ed-badge").textContent = sc.builtin ? "built-in · save edits as a copy" : "yours";
  $("ed-desc").textContent = sc.description || "";
  $("ed-id").value = sc.builtin ? `${sc.id}-variant` : sc.id;
  $("diff").hidden = true;
  $("ed-diff-note").textContent = DIFF_NOTE;
  $("ed-save-msg").replaceChildren();
  $("ed-start-msg").replaceChildren();
  if (location.pathname !== `/editor/${sc.id}`) history.replaceState(null, "", `/editor/${encodeURIComponent(sc.id)}`);
  errors = [];
  renderFile();
  validate();
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
    const now = text();
    await api("/api/scenarios", { method: "POST", body: { id, yaml: now } });
    savedId = id;
    savedText = now;
    variant = false;
    msg.replaceChildren(h("div", { class: "notice ok" }, `Saved as ${id}.yaml. `, h("a", { href: `/?scenario=${encodeURIComponent(id)}#new-game` }, "New game from it on the home page")));
    await loadList();
    const sc = scenarios.find((s) => s.id === id);
    opened = { ...(opened || {}), ...(sc || {}), id, builtin: false, yaml: now };
    $("ed-open").value = id;
    $("ed-title").textContent = opened.name || id;
    $("ed-badge").className = "badge user";
    $("ed-badge").textContent = "yours";
    history.replaceState(null, "", `/editor/${encodeURIComponent(id)}`);
    renderFile();
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
  if (variant) {      // the diff is of a saved file, and the variant has none yet (opened.id is the file it varies)
    pre.hidden = true;
    pre.replaceChildren();
    $("ed-diff-note").textContent = `Save the variant first to see its diff: ${fileName()} is not saved yet.`;
    return;
  }
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
  setText(`# A variant of ${base}: everything not written here comes from ${base}.\n`
    + `extends: ${base}\nname: "${(opened.name || base).replace(/"/g, "'")} (variant)"\n`
    + `description: "What this variant changes, and why."\n`
    + `# Change only what you want to test, for example:\n# actors:\n#   USA:\n#     action_points: 4\n`);
  $("ed-id").value = `${base}-variant`;
  savedId = null;
  savedText = null;
  variant = true;
  $("ed-title").textContent = "New variant (unsaved)";
  $("ed-badge").className = "badge user";
  $("ed-badge").textContent = "new";
  renderFile();
  validate();
}

// ---------------------------------------------------------------------------------------------- events
if (cm) {
  cm.on("change", () => { cm.save(); renderFile(); validateSoon(); });
} else {
  ta.addEventListener("input", () => { renderFile(); validateSoon(); });
  ta.addEventListener("keydown", (e) => {
    if (e.key === "Tab" && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      ta.setRangeText("  ", ta.selectionStart, ta.selectionEnd, "end");
      validateSoon();
    }
  });
}
$("ed-id").addEventListener("input", () => { renderFile(); if (errors.length) renderErrors(); });
$("ed-open").addEventListener("change", (e) => open(e.target.value));
$("ed-save").addEventListener("click", save);
$("ed-diff").addEventListener("click", showDiff);
$("ed-variant").addEventListener("click", newVariant);
$("ed-start").addEventListener("click", startGame);
// leaving the page (a link, Back, a reload) with edits not saved: the browser asks first
window.addEventListener("beforeunload", (e) => {
  if (!(opened || variant) || !dirty()) return;
  e.preventDefault();
  e.returnValue = "";     // older browsers ask only when returnValue is set
});

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
