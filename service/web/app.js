// The officer's page: calls the same /v1 API as intake forms and renders the result contract.
// All document text is inserted with textContent, never as HTML. Swedish labels for closed sets come
// from /v1/labels (analysis/data/labels-sv.yaml); this file holds only the page's own sentences.
// Evidence offsets in the contract count Unicode code points; JavaScript strings count UTF-16 units.
"use strict";

const LOW_SCORE = 0.2;   // below this top score a framework is "för kort eller för allmän text"
const MIN_WORDS = 3;     // fewer words than this: no framework is assessed
const $ = (id) => document.getElementById(id);
const decimals = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integers = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 1 });
const state = { labels: { groups: {}, sections: {} }, policies: null, result: null, meta: null, copies: {} };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("data-") || key.startsWith("aria-") || key === "role" || key === "tabindex") node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const label = (group, key) => (state.labels.groups[group] || {})[key] || key;
const hidden = (text) => el("span", { class: "visually-hidden" }, text);
const sek = (value) => `${integers.format(value)} kr`;

// ---- corpus and labels -------------------------------------------------------------------------

function headers() {
  const key = $("api-key").value.trim();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json", ...headers() } });
  if (!response.ok) throw Object.assign(new Error(path), { status: response.status });
  return response.json();
}

async function loadCorpus() {
  try {
    const [labels, policies] = await Promise.all([getJson("/v1/labels"), getJson("/v1/policies")]);
    state.labels = labels;
    state.policies = policies;
    fillRegions(policies);
    if (state.result) render(state.result);
  } catch (error) {
    if (error.status === 401) {
      $("api-key-box").open = true;
      showNote("Tjänsten kräver API-nyckel. Ange nyckeln under ”API-nyckel” för att läsa in regionerna.");
    } else {
      showNote("Regionerna kunde inte läsas in. Analysen görs för standardregionen.");
    }
  }
}

function fillRegions(policies) {
  const current = $("region").value || policies.default_region;
  $("region").replaceChildren(...policies.regions.map((r) => el("option", { value: r.id, selected: r.id === current },
    r.status === "demonstration" ? `${r.name} (demonstration)` : r.name)));
  regionNote();
}

function regionById(id) {
  return ((state.policies && state.policies.regions) || []).find((r) => r.id === id);
}

function regionNote() {
  const region = regionById($("region").value);
  const demo = region && region.status === "demonstration";
  showNote(demo ? `${region.name}: ${label("region_status", "demonstration")}.` : "");
}

function showNote(text) {
  $("region-note").textContent = text;
  $("region-note").hidden = !text;
}

// ---- input state: one source at a time ----------------------------------------------------------

function chosenFile() {
  return $("file").files[0] || null;
}

function inputChanged() {
  const file = chosenFile();
  $("chosen-file").hidden = !file;
  $("chosen-file-name").textContent = file ? `Vald fil: ${file.name}` : "";
  $("text").disabled = Boolean(file);
  $("text-group").classList.toggle("inactive", Boolean(file));
  $("input-note").textContent = file
    ? `Filen ${file.name} analyseras. Ta bort filen för att analysera inklistrad text i stället.`
    : "Klistra in en text eller välj en fil. En vald fil analyseras i stället för texten.";
  clearResults();
}

function removeFile() {
  $("file").value = "";
  inputChanged();
  $("file").focus();
  $("status").textContent = "Filen är borttagen.";
}

function regionChanged() {
  regionNote();
  if (!state.result) return;
  const region = regionById($("region").value);
  const same = $("region").value === state.result.versions.region;
  $("stale").hidden = same;
  $("results").classList.toggle("is-stale", !same);
  if (same) return;
  $("stale").textContent = `Resultatet nedan gäller ${state.meta.regionName}, inte ${region ? region.name : "vald region"}. ` +
    "Klicka på Analysera för att bedöma dokumentet för den valda regionen.";
}

function clearResults() {
  $("error").hidden = true;
  state.result = null;
  state.meta = null;
  $("results").hidden = true;
  $("results").classList.remove("is-stale");
  $("stale").hidden = true;
}

function showError(problem, name) {
  clearResults();
  const box = $("error");
  const id = problem.request_id ? ` (begärans id: ${problem.request_id})` : "";
  const title = `${name ? `${name}: ` : ""}${problem.title_sv || "Något gick fel"}.`;
  box.replaceChildren(el("strong", {}, title), " ", `${problem.detail_sv || ""}${id}`);
  box.hidden = false;
  $("status").textContent = "";
}

// ---- analysis ------------------------------------------------------------------------------------

function request() {
  const file = chosenFile();
  const region = $("region").value || null;
  if (file) {
    const form = new FormData();
    form.append("file", file);
    if (region) form.append("region", region);
    form.append("include_text", "true");
    return { name: file.name, init: { method: "POST", body: form, headers: headers() }, path: "/v1/analyses/file" };
  }
  return {
    name: "inklistrad text", path: "/v1/analyses",
    init: { method: "POST", headers: { "Content-Type": "application/json", ...headers() },
            body: JSON.stringify({ text: $("text").value, region, include_text: true }) },
  };
}

async function analyze(event) {
  event.preventDefault();
  clearResults();
  if (!chosenFile() && !$("text").value.trim()) {
    showError({ title_sv: "Inget dokument", detail_sv: "Klistra in en text eller välj en fil." });
    $("text").focus();
    return;
  }
  const { name, init, path } = request();
  $("submit").disabled = true;
  $("status").textContent = "Analyserar …";
  try {
    const response = await fetch(path, init);
    const body = await response.json().catch(() => ({ detail_sv: `Tjänsten svarade med status ${response.status}.` }));
    if (!response.ok) { showError(body, name); return; }
    state.meta = { name, regionName: regionName(body.versions.region), when: new Date() };
    state.result = body;
    render(body);
    announce(body);
  } catch (error) {
    showError({ title_sv: "Tjänsten svarade inte", detail_sv: "Kontrollera nätverket och försök igen." }, name);
  } finally {
    $("submit").disabled = false;
  }
}

function regionName(id) {
  const region = regionById(id);
  return region ? region.name : id;
}

function announce(result) {
  const notes = result.findings.length;
  $("status").textContent = `Analysen är klar: ${result.perspectives.length} perspektiv bedömda, ` +
    `${notes} ${notes === 1 ? "anmärkning" : "anmärkningar"} i regelkontrollen.`;
  $("results-heading").focus();
}

// ---- rendering -----------------------------------------------------------------------------------

function render(result) {
  const doc = result.document;
  const when = state.meta.when.toLocaleString("sv-SE", { dateStyle: "short", timeStyle: "short" });
  $("result-label").textContent = `${state.meta.name} · ${state.meta.regionName} · analyserad ${when}`;
  $("summary").textContent = `${label("document_kind", doc.kind)} · språk ${doc.language} · ${integers.format(doc.char_count)} tecken`;
  const region = regionById(result.versions.region);
  $("region-warning").hidden = !(region && region.status === "demonstration");
  $("region-warning").textContent = region ? `${region.name}: ${label("region_status", "demonstration")}.` : "";
  $("low-score").textContent = decimals.format(LOW_SCORE);
  state.spans = collectSpans(result);
  renderAlignments(result);
  renderPerspectives(result);
  renderFacts(result);
  renderFindings(result);
  $("sections").replaceChildren(...doc.sections.map((s) => el("li", {}, s.heading || "(ingen rubrik)",
    s.id ? el("span", { class: "muted" }, ` – ${state.labels.sections[s.id] || label("section", s.id)}`) : null)));
  renderText(doc.text || "", state.spans);
  $("versions").textContent = versionsText(result.versions);
  $("results").hidden = false;
}

function versionsText(versions) {
  const models = Object.entries(versions.models).map(([role, version]) => `${label("model", role)} ${version}`);
  return [`Programvara ${versions.software}`, `policykorpus ${versions.corpus}`, ...models].join(" · ");
}

function frameworkInfo(id) {
  return ((state.policies && state.policies.frameworks) || []).find((f) => f.id === id) || { id, name: id, items: [] };
}

function inconclusive(items) {
  const words = (state.result.document.text || "").split(/\s+/).filter(Boolean).length;
  const top = items[0];
  return words < MIN_WORDS || (!top.explicit && top.score < LOW_SCORE);
}

function groupByFramework(alignments) {
  const groups = new Map();
  for (const a of alignments) {
    if (!groups.has(a.framework)) groups.set(a.framework, []);
    groups.get(a.framework).push(a);
  }
  for (const items of groups.values()) items.sort((x, y) => x.rank - y.rank);
  return groups;
}

function renderAlignments(result) {
  const cards = [];
  const copy = [];
  for (const [framework, items] of groupByFramework(result.alignments)) {
    const info = frameworkInfo(framework);
    const unsure = inconclusive(items);
    cards.push(card(info, items, unsure));
    copy.push(alignmentSentence(info, items, unsure));
  }
  $("alignments").replaceChildren(...cards);
  state.copies.alignments = copy.join("\n");
}

function card(info, items, unsure) {
  const head = el("h3", {}, info.name, statusBadge(info.status));
  const about = el("details", { class: "about" }, el("summary", {}, "Om strategin"), el("p", {}, info.description || ""));
  if (unsure) {
    return el("div", { class: "card", "data-framework": info.id }, head,
      el("p", { class: "inconclusive", "data-state": "inconclusive" }, "För kort eller för allmän text för att bedöma."), about);
  }
  const first = items.slice(0, 3).map((a) => itemNode(a, info));
  const rest = items.slice(3).map((a) => itemNode(a, info));
  const more = rest.length ? el("details", { class: "more" },
    el("summary", {}, `Visa alla ${items.length} områden`), el("p", { class: "muted" }, info.description || ""), ...rest) : null;
  return el("div", { class: "card", "data-framework": info.id }, head, ...first, more, about);
}

function statusBadge(status) {
  if (!status || status === "verified") return null;
  return el("span", { class: `status-badge ${status}` }, label("item_status", status));
}

function itemNode(a, info) {
  const item = info.items.find((i) => i.id === a.item);
  const tick = a.match ? el("span", { class: "tick", "aria-hidden": "true" }, "✓ ") : null;
  const verdict = hidden(a.match ? " (bedöms stämma)" : " (bedöms inte stämma)");
  const flags = [a.explicit ? el("span", { class: "flag explicit" }, "namnges i texten") : null,
                 item ? statusBadge(item.status) : null];
  const quotes = a.match ? a.evidence.slice(0, 3).map(quote)
    : (a.evidence.length ? [el("details", { class: "nearest" },
        el("summary", {}, "Närmaste meningar (inte stöd)"), ...a.evidence.slice(0, 2).map(quote))] : []);
  return el("div", { class: `item${a.match ? " match" : ""}`, "data-item": a.item, "data-explicit": String(a.explicit) },
    el("div", { class: "name" }, tick, `${a.rank}. ${a.name}`, verdict, ...flags),
    scoreBar(a.score), ...quotes);
}

function scoreBar(score) {
  const text = `sannolikhet ${decimals.format(score)}`;
  const fill = el("span", {});
  fill.style.width = `${Math.round(score * 100)}%`;  // CSSOM, allowed by a strict CSP
  return el("div", { class: "score" }, el("div", { class: "bar", "aria-hidden": "true" }, fill),
    el("span", { class: "muted" }, text));
}

function alignmentSentence(info, items, unsure) {
  if (unsure) return `${info.name}: texten är för kort eller för allmän för att bedöma.`;
  const matches = items.filter((a) => a.match);
  return matches.map((a) => {
    const named = a.explicit ? "; området namnges i texten" : "";
    const support = a.evidence.length ? ` Stöd i texten: ”${a.evidence[0].text}”` : "";
    return `${info.name}: projektet bedöms stämma med ${a.name} (sannolikhet ${decimals.format(a.score)}${named}).${support}`;
  }).join("\n");
}

function renderPerspectives(result) {
  $("perspectives").replaceChildren(...result.perspectives.map((p) => el("div", { class: "perspective", "data-perspective": p.id },
    el("h3", {}, p.name, " ", el("span", { class: `badge ${p.status}` }, label("perspective_status", p.status))),
    el("p", { class: "muted" }, p.required ? "Ska beskrivas i ansökan." : "Beskrivs när det är relevant."),
    ...p.reasons.map((r) => el("p", {}, r)), ...p.evidence.slice(0, 2).map(quote))));
  state.copies.perspectives = result.perspectives.map((p) => {
    const quoteText = p.evidence.length ? ` Citat: ”${p.evidence[0].text}”` : "";
    return `${p.name}: ${label("perspective_status", p.status)}. ${p.reasons.join(" ")}${quoteText}`.trim();
  }).join("\n");
}

const UNSURE_NAMES = { amount: "belopp", share: "andel", period: "projektperiod" };

function candidateValue(c) {
  if (c.fact === "amount") return sek(c.amount_sek);
  if (c.fact === "share") return `${percent.format(c.share_percent)} %`;
  return `${c.start || "?"} – ${c.end || "?"}`;
}

function factRows(f) {
  const role = f.amount_role ? ` (${label("amount_role", f.amount_role)})` : "";
  const period = f.period.start || f.period.end ? `${f.period.start || "?"} – ${f.period.end || "?"}` : "–";
  return [["Belopp", f.amount_sek == null ? "–" : sek(f.amount_sek) + role],
          ["Andel av kostnaderna", f.share_percent == null ? "–" : `${percent.format(f.share_percent)} %`],
          ["Projektperiod", period]];
}

function renderFacts(result) {
  const f = result.facts;
  const rows = factRows(f);
  // A fact the tool left empty: what it considered, so the officer can check ("osäker").
  const empty = { amount: f.amount_sek == null, share: f.share_percent == null,
    period: f.period.start == null && f.period.end == null };
  const candidates = (f.candidates || []).filter((c) => empty[c.fact] && !c.chosen).map((c) =>
    el("dd", { class: "unsure", "data-fact": c.fact },
      `Osäkert ${UNSURE_NAMES[c.fact]}: ${candidateValue(c)} (sannolikhet ${percent.format(c.probability * 100)} %) `,
      quote(c.evidence)));
  $("facts").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]), ...candidates);
  $("facts-evidence").replaceChildren(...uniqueEvidence(f.evidence).map(quote));
  const quotes = uniqueEvidence(f.evidence).map((e) => `”${e.text}”`).join(" ");
  state.copies.facts = rows.map(([k, v]) => `${k}: ${v}.`).join(" ") + (quotes ? ` Underlag: ${quotes}` : "");
}

function uniqueEvidence(evidence) {
  const seen = new Set();
  return evidence.filter((e) => !seen.has(e.start) && seen.add(e.start));
}

function renderFindings(result) {
  $("findings").replaceChildren(...(result.findings.length ? result.findings.map((x) =>
    el("li", { class: `finding ${x.severity}`, "data-rule": x.rule },
      el("span", { class: `severity ${x.severity}` }, label("severity", x.severity)), " ", x.message,
      el("span", { class: "muted citation" }, ` Källa: ${x.citation}.`), ...x.evidence.slice(0, 2).map(quote)))
    : [el("li", {}, "Inga anmärkningar.")]));
  state.copies.findings = result.findings.length ? result.findings.map((x) => {
    const support = x.evidence.length ? ` Underlag: ”${x.evidence[0].text}”` : "";
    return `${label("severity", x.severity)[0].toUpperCase()}${label("severity", x.severity).slice(1)}: ${x.message} ` +
      `(${x.citation}).${support}`;
  }).join("\n") : "Regelkontrollen gav inga anmärkningar.";
}

// ---- evidence in the text ------------------------------------------------------------------------

function highlighted(start) {
  return state.spans.some((span) => span.start <= start && start < span.end);
}

function quote(evidence) {
  if (!highlighted(evidence.start)) return el("span", { class: "quote plain" }, `”${evidence.text}”`);
  const node = el("span", { class: "quote", role: "button", tabindex: "0", "data-start": evidence.start,
    "aria-label": `Visa i texten: ${evidence.text}` }, `”${evidence.text}”`);
  node.addEventListener("click", () => {
    if (String(window.getSelection())) return;  // the officer is selecting text to copy, not jumping
    focusSpan(evidence.start);
  });
  node.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); focusSpan(evidence.start); }
  });
  return node;
}

function focusSpan(start) {
  const mark = document.querySelector(`mark[data-start="${start}"]`) ||
    [...document.querySelectorAll("#document-text mark")].find((m) => Number(m.dataset.start) <= start && start < Number(m.dataset.end));
  if (!mark) return;
  document.querySelectorAll("mark.focus").forEach((m) => m.classList.remove("focus"));
  mark.classList.add("focus");
  mark.focus({ preventScroll: true });
  mark.scrollIntoView({ block: "center" });
}

// Code point index → UTF-16 index, for the contract's offsets.
function utf16Offsets(text) {
  const offsets = [0];
  let unit = 0;
  for (const char of text) { unit += char.length; offsets.push(unit); }
  return offsets;
}

function collectSpans(result) {
  const spans = [];
  const add = (evidence, why) => evidence.forEach((e) => spans.push({ start: e.start, end: e.end, why }));
  result.alignments.filter((a) => a.match).forEach((a) => add(a.evidence, a.name));
  result.perspectives.forEach((p) => add(p.evidence, `${p.name} (${label("perspective_status", p.status)})`));
  add(result.facts.evidence, "uppgifter");
  result.findings.forEach((x) => add(x.evidence, `regelkontroll: ${label("severity", x.severity)}`));
  return mergeSpans(spans);
}

function mergeSpans(spans) {
  const merged = [];
  for (const span of spans.sort((x, y) => x.start - y.start || y.end - x.end)) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      if (!last.why.includes(span.why)) last.why.push(span.why);
    } else merged.push({ start: span.start, end: span.end, why: [span.why] });
  }
  return merged;
}

function renderText(text, spans) {
  const units = utf16Offsets(text);
  const at = (point) => units[Math.min(point, units.length - 1)];
  const parts = [];
  let cursor = 0;
  for (const span of spans) {
    parts.push(document.createTextNode(text.slice(at(cursor), at(span.start))));
    const mark = el("mark", { tabindex: "0", "data-start": span.start, "data-end": span.end,
      "aria-label": `Belägg för ${span.why.join(", ")}: ${text.slice(at(span.start), at(span.end))}`, title: `Belägg för ${span.why.join(", ")}` },
      text.slice(at(span.start), at(span.end)));
    parts.push(mark);
    cursor = span.end;
  }
  parts.push(document.createTextNode(text.slice(at(cursor))));
  $("document-text").replaceChildren(...parts);
}

// ---- memo ----------------------------------------------------------------------------------------

async function copySection(event) {
  const which = event.currentTarget.dataset.copy;
  const meta = state.meta;
  const header = `Analys av ${meta.name} för ${meta.regionName}, ${meta.when.toLocaleDateString("sv-SE")} (beslutsstöd, inte beslut).`;
  const text = `${header}\n${state.copies[which] || ""}`;
  try {
    await navigator.clipboard.writeText(text);
    $("status").textContent = "Kopierat till urklipp.";
  } catch (error) {
    $("status").textContent = "Kunde inte kopiera automatiskt. Markera texten och kopiera med Ctrl+C.";
  }
}

$("analysis-form").addEventListener("submit", analyze);
$("file").addEventListener("change", inputChanged);
$("text").addEventListener("input", clearResults);
$("remove-file").addEventListener("click", removeFile);
$("region").addEventListener("change", regionChanged);
$("api-key").addEventListener("change", loadCorpus);
document.querySelectorAll("button.copy").forEach((b) => b.addEventListener("click", copySection));
loadCorpus();

// Print everything: closed <details> would hide the remaining items and the nearest sentences.
window.addEventListener("beforeprint", () => document.querySelectorAll("#results details:not([open])").forEach((d) => {
  d.open = true; d.dataset.printOpened = "true";
}));
window.addEventListener("afterprint", () => document.querySelectorAll("details[data-print-opened]").forEach((d) => {
  d.open = false; delete d.dataset.printOpened;
}));
