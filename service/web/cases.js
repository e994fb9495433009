// The cases page: case list and case view (history, review, compare, memo) over the /v1 API.
// Swedish labels come from the server's one table (/cases/labels.json); text is set with textContent only.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { labels: {}, policies: null, kinds: {}, caseId: null, analysis: null, cursor: null };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("data-") || key.startsWith("aria-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children.filter((c) => c !== null)) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

const label = (group, key) => (state.labels[group] || {})[key] || key;
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const regionName = (id) => ((state.policies?.regions || []).find((r) => r.id === id) || {}).name || id || "–";
const kr = (value) => (value === null || value === undefined ? "–" : `${value.toLocaleString("sv-SE")} kr`);
const percent = (value) => (value === null || value === undefined ? "–" : `${String(value).replace(".", ",")} %`);

function headers(extra = {}) {
  const key = $("api-key").value.trim();
  if (key) sessionStorage.setItem("policyalign-key", key);
  return key ? { Authorization: `Bearer ${key}`, ...extra } : extra;
}

// Problems carry Swedish title_sv/detail_sv (the one label table); the English title is for integrators.
const NO_ANSWER = { title_sv: "Tjänsten svarade inte", detail_sv: "Kontrollera nätverket och försök igen." };

class ProblemError extends Error {
  constructor(problem, status) {
    super(problem.title_sv);
    this.problem = problem;
    this.status = status;
  }
}

async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { ...options, headers: headers(options.headers || {}) });
  } catch {
    throw new ProblemError(NO_ANSWER, 0);
  }
  const json = response.headers.get("content-type")?.includes("json");
  const body = json ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const problem = body?.title_sv ? body
      : { title_sv: "Något gick fel", detail_sv: `Tjänsten svarade med status ${response.status}.` };
    throw new ProblemError(problem, response.status);
  }
  return body;
}

// Shows a problem (Swedish title in bold, detail, request id), a plain Swedish message, or clears ("").
function showError(error) {
  const box = $("error");
  if (!error) { box.replaceChildren(); box.hidden = true; return; }
  if (typeof error === "string") box.replaceChildren(error);
  else {
    const problem = error.problem || { title_sv: "Något gick fel", detail_sv: "Ladda om sidan och försök igen." };
    const id = problem.request_id ? ` (begärans id: ${problem.request_id})` : "";
    box.replaceChildren(el("strong", {}, `${problem.title_sv}.`), " ", `${problem.detail_sv || ""}${id}`);
  }
  box.hidden = false;
}

function say(message) { $("status").textContent = message; }

// ---- list view ------------------------------------------------------------------------------------
async function loadCases(append = false) {
  const params = new URLSearchParams({ limit: "25", sort: $("filter-sort").value });
  for (const [name, id] of [["dnr", "filter-dnr"], ["region", "filter-region"], ["status", "filter-status"]]) {
    if ($(id).value.trim()) params.set(name, $(id).value.trim());
  }
  if ($("filter-attention").checked) params.set("needs_attention", "true");
  if (append && state.cursor) params.set("cursor", state.cursor);
  try {
    const page = await api(`/v1/cases?${params}`);
    const rows = page.items.map((c) => el("tr", { "data-case": c.id },
      el("td", {}, c.dnr || "–"),
      el("td", {}, el("a", { href: `/cases?case=${c.id}` }, c.title)),
      el("td", {}, regionName(c.region)),
      el("td", {}, label("case_status", c.status)),
      el("td", {}, c.analysis_count),
      el("td", {}, c.needs_attention ? `Ja (${c.attention})` : "Nej")));
    if (append) $("case-table").tBodies[0].append(...rows);
    else $("case-table").tBodies[0].replaceChildren(...rows);
    state.cursor = page.next_cursor;
    $("more").hidden = !page.next_cursor;
    say(rows.length || append ? "" : "Inga ärenden matchar.");
  } catch (error) { showError(error); }
}

async function createCase(event) {
  event.preventDefault();
  showError("");
  const body = { title: $("case-title").value.trim(), region: $("case-region").value || null };
  if ($("case-dnr").value.trim()) body.dnr = $("case-dnr").value.trim();
  if ($("case-applicant").value.trim()) body.applicant = $("case-applicant").value.trim();
  try {
    const created = await api("/v1/cases", { method: "POST", headers: { "Content-Type": "application/json" },
                                             body: JSON.stringify(body) });
    history.pushState({}, "", `/cases?case=${created.id}`);
    await route();
  } catch (error) { showError(error); }
}

// ---- case view ------------------------------------------------------------------------------------
async function loadCase(caseId, analysisId) {
  const item = await api(`/v1/cases/${caseId}`);
  state.caseId = caseId;
  $("case-heading").textContent = item.dnr ? `${item.title} (${item.dnr})` : item.title;
  document.title = `${item.title} – ärenden`;
  $("case-facts").replaceChildren(
    el("dt", {}, "Sökande"), el("dd", {}, item.applicant || "–"),
    el("dt", {}, "Region"), el("dd", {}, regionName(item.region)),
    el("dt", {}, "Status"), el("dd", {}, label("case_status", item.status)),
    el("dt", {}, "Skapat av"), el("dd", {}, `${item.created_by}, ${new Date(item.created_at).toLocaleString("sv-SE")}`));
  $("case-status").value = item.status;
  const current = analysisId || item.latest_analysis_id;
  $("history").replaceChildren(...item.analyses.map((a) => el("li", { "aria-current": a.id === current ? "true" : null },
    el("button", { type: "button", "data-analysis": a.id, onclick: () => openAnalysis(a.id) },
       `Analys ${a.id}: ${a.input_name || "inklistrad text"}`),
    ` – ${new Date(a.created_at).toLocaleString("sv-SE")}, ${a.created_by}${a.reviewed ? ", granskad" : ""}`)));
  const options = () => item.analyses.map((a) => el("option", { value: a.id }, `Analys ${a.id}`));
  $("compare-from").replaceChildren(...options());
  $("compare-to").replaceChildren(...options());
  if (item.analyses.length > 1) {
    $("compare-from").value = item.analyses[item.analyses.length - 2].id;
    $("compare-to").value = item.analyses[item.analyses.length - 1].id;
  }
  $("compare-form").hidden = item.analyses.length < 2;
  if (current) await openAnalysis(current, false);
  else $("analysis-view").hidden = true;
}

async function addAnalysis(event) {
  event.preventDefault();
  showError("");
  const file = $("file").files[0];
  const text = $("text").value;
  if (!file && !text.trim()) { showError("Klistra in en text eller välj en fil."); return; }
  $("analyze").disabled = true;
  say("Analyserar …");
  try {
    let stored;
    if (file) {
      const form = new FormData();
      form.append("file", file);
      stored = await api(`/v1/cases/${state.caseId}/analyses/file`, { method: "POST", body: form });
    } else {
      stored = await api(`/v1/cases/${state.caseId}/analyses`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }) });
    }
    $("text").value = "";
    $("file").value = "";
    history.replaceState({}, "", `/cases?case=${state.caseId}&analysis=${stored.id}`);
    await loadCase(state.caseId, stored.id);
    say(`Analys ${stored.id} sparad.`);
    $("analysis-heading").focus();
  } catch (error) { showError(error); say(""); }
  finally { $("analyze").disabled = false; }
}

async function openAnalysis(analysisId, focus = true) {
  const stored = await api(`/v1/analyses/${analysisId}`);
  state.analysis = stored;
  history.replaceState({}, "", `/cases?case=${state.caseId}&analysis=${analysisId}`);
  document.querySelectorAll("#history li").forEach((li) => li.removeAttribute("aria-current"));
  document.querySelector(`#history button[data-analysis="${analysisId}"]`)?.parentElement.setAttribute("aria-current", "true");
  $("analysis-heading").textContent = `Analys ${stored.id}: ${stored.input_name || "inklistrad text"}`;
  $("memo").href = `/v1/analyses/${stored.id}/memo.docx`;
  renderReview(stored);
  const findings = stored.result.findings;
  $("findings").replaceChildren(...(findings.length ? findings.map((f) => el("li", { class: f.severity },
    `${label("severity", f.severity)}: ${f.message}`)) : [el("li", {}, "Inga regelträffar.")]));
  const v = stored.result.versions;
  $("versions").textContent = `Korpus ${v.corpus}, programvara ${v.software}. Granskningsversion ${stored.review.version}.`;
  $("analysis-view").hidden = false;
  if (focus) $("analysis-heading").focus();
}

async function changeStatus(event) {
  event.preventDefault();
  showError("");
  try {
    await api(`/v1/cases/${state.caseId}`, { method: "PATCH", headers: { "Content-Type": "application/json" },
                                             body: JSON.stringify({ status: $("case-status").value }) });
    await loadCase(state.caseId, state.analysis?.id);
    say(`Status ändrad till ${label("case_status", $("case-status").value)}.`);
  } catch (error) { showError(error); }
}

// ---- review ---------------------------------------------------------------------------------------
function targets(result) {
  const rows = [];
  // Framework kinds and statuses in the order of the server's label table; "none fits" where the corpus allows it.
  for (const kind of Object.keys(state.labels.framework_kind || {})) {
    const ranked = result.alignments.filter((a) => state.kinds[a.framework] === kind).sort((a, b) => a.rank - b.rank);
    if (!ranked.length) continue;
    const top = ranked[0].match ? ranked[0] : null;
    const choices = ranked.map((a) => [a.item, a.name]);
    const allowsNone = state.policies.frameworks.some((f) => f.id === ranked[0].framework && f.allows_none);
    if (allowsNone) choices.push(["", "Ingen inriktning passar"]);
    rows.push({ target: kind, name: label("review_target", kind), suggested: top ? top.item : "",
                shown: top ? top.name : allowsNone ? "Ingen inriktning passar" : "Ingen prioritering passar",
                input: "select", choices });
  }
  const statuses = Object.keys(state.labels.perspective_status || {});
  for (const p of result.perspectives) {
    rows.push({ target: `perspective:${p.id}`, name: p.name, suggested: p.status, shown: label("perspective_status", p.status),
                input: "select", choices: statuses.map((s) => [s, label("perspective_status", s)]) });
  }
  const facts = result.facts;
  rows.push({ target: "amount_sek", name: label("review_target", "amount_sek"), suggested: facts.amount_sek,
              shown: kr(facts.amount_sek), input: "number" });
  rows.push({ target: "share_percent", name: label("review_target", "share_percent"), suggested: facts.share_percent,
              shown: percent(facts.share_percent), input: "number" });
  rows.push({ target: "period", name: label("review_target", "period"), suggested: facts.period,
              shown: `${facts.period.start || "?"} – ${facts.period.end || "?"}`, input: "period" });
  return rows;
}

function valueInput(row, id, saved) {
  const value = saved && saved.decision === "replace" ? saved.value : row.suggested;
  if (row.input === "select") {
    return el("select", { id, class: "value", "aria-label": `Rätt värde för ${row.name}` },
      ...row.choices.map(([key, name]) => el("option", { value: key, selected: (value ?? "") === key }, name)));
  }
  if (row.input === "number") {
    return el("input", { id, class: "value", type: "number", min: "0", step: "any", value: value ?? "",
                         "aria-label": `Rätt värde för ${row.name}` });
  }
  const period = value || {};
  return el("span", { id, class: "value period" },
    el("input", { type: "date", class: "start", value: period.start || "", "aria-label": `Startdatum för ${row.name}` }),
    el("input", { type: "date", class: "end", value: period.end || "", "aria-label": `Slutdatum för ${row.name}` }));
}

function renderReview(stored) {
  const decisions = stored.review.decisions;
  const rows = targets(stored.result).map((row, index) => {
    const saved = decisions[row.target];
    const decisionId = `decision-${index}`;
    const decision = el("select", { id: decisionId, class: "decision", "aria-label": `Granskning av ${row.name}` },
      saved ? null : el("option", { value: "" }, "Ej granskad"),
      ...["accept", "reject", "replace"].map((d) => el("option", { value: d, selected: saved?.decision === d },
                                                         label("review_decision", d))));
    const value = valueInput(row, `value-${index}`, saved);
    const comment = el("input", { type: "text", class: "comment", maxLength: 2000, value: saved?.comment || "",
                                  "aria-label": `Kommentar till ${row.name}` });
    const stateClass = saved ? (saved.decision === "reject" ? "rejected" : "confirmed") : "";
    return el("tr", { "data-target": row.target, class: stateClass },
      el("th", { scope: "row" }, capital(row.name)), el("td", {}, row.shown),
      el("td", {}, decision), el("td", {}, value), el("td", {}, comment));
  });
  $("review").tBodies[0].replaceChildren(...rows);
}

function readValue(tr) {
  const value = tr.querySelector(".value");
  if (value.classList.contains("period")) {
    return { start: value.querySelector(".start").value || null, end: value.querySelector(".end").value || null };
  }
  if (value.type === "number") return value.value === "" ? null : Number(value.value);
  return value.value === "" ? null : value.value;
}

function changedDecisions() {
  const saved = state.analysis.review.decisions;
  const out = [];
  for (const tr of $("review").tBodies[0].rows) {
    const target = tr.dataset.target;
    const decision = tr.querySelector(".decision").value;
    if (!decision) continue;
    const entry = { target, decision, comment: tr.querySelector(".comment").value.trim() || null };
    if (decision === "replace") entry.value = readValue(tr);
    const before = saved[target];
    if (!before || before.decision !== entry.decision || before.comment !== entry.comment
        || JSON.stringify(before.value ?? null) !== JSON.stringify(entry.value ?? null)) out.push(entry);
  }
  return out;
}

async function saveReview(event) {
  event.preventDefault();
  showError("");
  const decisions = changedDecisions();
  if (!decisions.length) { $("review-status").textContent = "Inget att spara."; return; }
  try {
    const review = await api(`/v1/analyses/${state.analysis.id}/review`, {
      method: "PUT", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ version: state.analysis.review.version, decisions }) });
    await openAnalysis(state.analysis.id, false);
    $("review-status").textContent = `Granskningen sparad (version ${review.version}).`;
  } catch (error) { showError(error); }
}

// ---- compare --------------------------------------------------------------------------------------
function describeValue(id, value) {
  if (value === null || value === undefined) return "–";
  if (id === "amount_sek") return kr(value);
  if (id === "share_percent") return percent(value);
  if (["present", "thin", "absent"].includes(value)) return label("perspective_status", value);
  return String(value);
}

async function compareAnalyses(event) {
  event.preventDefault();
  showError("");
  try {
    const diff = await api(`/v1/cases/${state.caseId}/compare?from=${$("compare-from").value}&to=${$("compare-to").value}`);
    const names = itemNames();
    const lines = [];
    for (const area of diff.areas) {
      const framework = (state.policies.frameworks.find((f) => f.id === area.framework) || {}).name || area.framework;
      if (area.top_before !== area.top_after) {
        lines.push(`${framework}: förstahandsförslaget ändrades från ${names[area.top_before] || "inget"} till ${names[area.top_after] || "inget"}.`);
      }
      if (area.added.length) lines.push(`${framework}: nya områden ${area.added.map((i) => names[i] || i).join(", ")}.`);
      if (area.removed.length) lines.push(`${framework}: borttagna områden ${area.removed.map((i) => names[i] || i).join(", ")}.`);
    }
    for (const p of diff.perspectives) lines.push(`${p.id}: ${describeValue(p.id, p.before)} → ${describeValue(p.id, p.after)}.`);
    for (const f of diff.facts) lines.push(`${label("review_target", f.id)}: ${describeValue(f.id, f.before)} → ${describeValue(f.id, f.after)}.`);
    for (const rule of diff.findings_added) lines.push(`Ny regelträff: ${rule}.`);
    for (const rule of diff.findings_removed) lines.push(`Regelträff borta: ${rule}.`);
    if (!lines.length) lines.push("Inga skillnader i områden, perspektiv, uppgifter eller regelträffar.");
    $("changes").replaceChildren(...lines.map((line) => el("li", {}, line)));
    $("comparison").hidden = false;
    $("comparison-heading").focus();
  } catch (error) { showError(error); }
}

function itemNames() {
  const names = {};
  for (const framework of state.policies.frameworks) for (const item of framework.items) names[item.id] = item.name;
  return names;
}

// ---- memo download (with an API key the link cannot carry the header, so fetch it) -------------------
async function downloadMemo(event) {
  if (!$("api-key").value.trim()) return;  // the plain link downloads
  event.preventDefault();
  try {
    const response = await fetch($("memo").href, { headers: headers() });
    if (!response.ok) throw new Error(`Fel ${response.status}`);
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: `tjansteskrivelse-${state.analysis.id}.docx` });
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  } catch (error) { showError(error); }
}

// ---- start ----------------------------------------------------------------------------------------
async function route() {
  showError("");
  const params = new URLSearchParams(location.search);
  const caseId = params.get("case");
  $("list-view").hidden = Boolean(caseId);
  $("case-view").hidden = !caseId;
  try {
    if (caseId) {
      await loadCase(Number(caseId), params.get("analysis") ? Number(params.get("analysis")) : null);
      $("case-heading").focus();
    } else {
      await loadCases();
    }
  } catch (error) { showError(error); }
}

async function start() {
  $("api-key").value = sessionStorage.getItem("policyalign-key") || "";
  try {
    state.labels = await (await fetch("/cases/labels.json")).json();
    state.policies = await api("/v1/policies");
    state.kinds = Object.fromEntries(state.policies.frameworks.map((f) => [f.id, f.kind]));
    const regions = state.policies.regions.map((r) => [r.id, r.name]);
    $("filter-region").append(...regions.map(([id, name]) => el("option", { value: id }, name)));
    $("case-region").replaceChildren(...regions.map(([id, name]) =>
      el("option", { value: id, selected: id === state.policies.default_region }, name)));
    const statuses = Object.entries(state.labels.case_status || {});
    $("filter-status").append(...statuses.map(([id, name]) => el("option", { value: id }, name)));
    $("case-status").replaceChildren(...statuses.map(([id, name]) => el("option", { value: id }, name)));
  } catch (error) { showError(error); }
  $("filter-form").addEventListener("submit", (event) => { event.preventDefault(); loadCases(); });
  $("more").addEventListener("click", () => loadCases(true));
  $("case-form").addEventListener("submit", createCase);
  $("analysis-form").addEventListener("submit", addAnalysis);
  $("review-form").addEventListener("submit", saveReview);
  $("status-form").addEventListener("submit", changeStatus);
  $("compare-form").addEventListener("submit", compareAnalyses);
  $("memo").addEventListener("click", downloadMemo);
  window.addEventListener("popstate", route);
  await route();
}

start();
