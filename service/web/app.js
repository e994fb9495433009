// The officer's page: calls the same /v1 API as intake forms and renders the result contract.
// All document text is inserted with textContent, never as HTML.
"use strict";

const STATUS_SV = { present: "finns", thin: "tunt", absent: "saknas" };
const KIND_SV = { decision: "beslut", application: "ansökan", summary: "sammanfattning", form: "formulär" };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "style") node.style.cssText = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function headers() {
  const key = $("api-key").value.trim();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

async function loadRegions() {
  try {
    const response = await fetch("/v1/policies", { headers: headers() });
    if (!response.ok) return;
    const policies = await response.json();
    window.frameworkNames = Object.fromEntries(policies.frameworks.map((f) => [f.id, f.name]));
    $("region").replaceChildren(...policies.regions.map((r) =>
      el("option", { value: r.id, selected: r.id === policies.default_region }, r.name)));
  } catch (error) { /* the form still works with the default region */ }
}

async function analyse(event) {
  event.preventDefault();
  const file = $("file").files[0];
  const text = $("text").value;
  $("error").hidden = true;
  if (!file && !text.trim()) { showError("Klistra in en text eller välj en fil."); return; }
  $("submit").disabled = true;
  $("status").textContent = "Analyserar …";
  try {
    let response;
    if (file) {
      const form = new FormData();
      form.append("file", file);
      form.append("region", $("region").value);
      form.append("include_text", "true");
      response = await fetch("/v1/analyses/file", { method: "POST", body: form, headers: headers() });
    } else {
      response = await fetch("/v1/analyses", {
        method: "POST", headers: { "Content-Type": "application/json", ...headers() },
        body: JSON.stringify({ text, region: $("region").value || null, include_text: true }),
      });
    }
    const body = await response.json();
    if (!response.ok) { showError(`${body.title || "Fel"}: ${body.detail || response.status}`); return; }
    render(body);
    $("status").textContent = "Klart.";
  } catch (error) {
    showError("Tjänsten svarade inte. Försök igen.");
  } finally {
    $("submit").disabled = false;
  }
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
  $("status").textContent = "";
}

function focusSpan(start) {
  const mark = document.querySelector(`mark[data-start="${start}"]`);
  if (!mark) return;
  document.querySelectorAll("mark.focus").forEach((m) => m.classList.remove("focus"));
  mark.classList.add("focus");
  mark.scrollIntoView({ behavior: "smooth", block: "center" });
}

function quote(evidence) {
  const node = el("span", { class: "quote", title: "Visa i texten" }, `”${evidence.text}”`);
  node.addEventListener("click", () => focusSpan(evidence.start));
  return node;
}

function render(result) {
  const doc = result.document;
  $("summary").textContent = `${doc.id} · ${KIND_SV[doc.kind] || doc.kind} · språk ${doc.language} · ${doc.char_count} tecken`;

  const byFramework = new Map();
  for (const a of result.alignments) {
    if (!byFramework.has(a.framework)) byFramework.set(a.framework, []);
    byFramework.get(a.framework).push(a);
  }
  const names = window.frameworkNames || {};
  $("alignments").replaceChildren(...[...byFramework].map(([framework, items]) => el("div", { class: "card" },
    el("h3", {}, names[framework] || framework),
    ...items.slice(0, 3).map((a) => el("div", { class: `item${a.match ? " match" : ""}`, "data-item": a.item },
      el("div", { class: "name" }, `${a.rank}. ${a.name}`),
      el("div", { class: "bar", title: `Poäng ${a.score.toFixed(2)}` }, el("span", { style: `width:${Math.round(a.score * 100)}%` })),
      el("div", { class: "muted" }, `poäng ${a.score.toFixed(2)}`),
      ...a.evidence.slice(0, a.match ? 3 : 1).map(quote))))));

  $("perspectives").tBodies[0].replaceChildren(...result.perspectives.map((p) => el("tr", { "data-perspective": p.id },
    el("td", {}, p.name + (p.required ? "" : " (redovisas)")),
    el("td", {}, el("span", { class: `badge ${p.status}` }, STATUS_SV[p.status])),
    el("td", {}, ...p.reasons.map((r) => el("div", {}, r)), ...p.evidence.slice(0, 2).map(quote)))));

  const f = result.facts;
  const sek = (v) => v == null ? "–" : `${v.toLocaleString("sv-SE")} kr`;
  const period = f.period.start || f.period.end ? `${f.period.start || "?"} – ${f.period.end || "?"}` : "–";
  $("facts").replaceChildren(
    el("dt", {}, "Belopp"), el("dd", {}, sek(f.amount_sek) + (f.amount_role ? ` (${f.amount_role})` : "")),
    el("dt", {}, "Andel"), el("dd", {}, f.share_percent == null ? "–" : `${f.share_percent} %`),
    el("dt", {}, "Projektperiod"), el("dd", {}, period));

  $("findings").replaceChildren(...(result.findings.length ? result.findings.map((x) =>
    el("li", { class: x.severity }, `${x.message} `, el("span", { class: "muted" }, `(${x.rule}; ${x.citation})`)))
    : [el("li", {}, "Inga anmärkningar.")]));

  $("sections").replaceChildren(...doc.sections.map((s) =>
    el("li", {}, `${s.heading || "(ingen rubrik)"} `, el("span", { class: "muted" }, s.id ? `→ ${s.id}` : ""))));

  renderText(doc.text || "", result);
  $("versions").textContent = `Programvara ${result.versions.software} · korpus ${result.versions.corpus} · ` +
    Object.entries(result.versions.models).map(([k, v]) => `${k} ${v}`).join(" · ");
  $("results").hidden = false;
}

function renderText(text, result) {
  const spans = new Map();
  for (const a of result.alignments.filter((x) => x.rank === 1)) for (const e of a.evidence) spans.set(e.start, e.end);
  for (const p of result.perspectives) for (const e of p.evidence) spans.set(e.start, e.end);
  const ordered = [...spans].sort((x, y) => x[0] - y[0]);
  const parts = [];
  let cursor = 0;
  for (const [start, end] of ordered) {
    if (start < cursor) continue;
    parts.push(text.slice(cursor, start), el("mark", { "data-start": start }, text.slice(start, end)));
    cursor = end;
  }
  parts.push(text.slice(cursor));
  $("document-text").replaceChildren(...parts.map((p) => (p instanceof Node ? p : document.createTextNode(p))));
}

$("analysis-form").addEventListener("submit", analyse);
loadRegions();
