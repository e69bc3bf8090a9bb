// scopecheck serve: the page's behaviour. Document text is only ever placed with textContent.
"use strict";

(() => {
  const CHECK_DELAY_MS = 400;
  const DRAFT_KEY = "scopecheck-draft";
  const SEVERITY_WORDS = { error: "Must fix", warning: "Should fix", info: "Worth a look" };
  const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };
  const CATEGORY_WORDS = {
    "diagnosis-treatment": "Diagnosis or treatment claim",
    "clinical-title": "Clinical title or wording",
    "outcome-guarantee": "Promised outcome",
    "replaces-care": "Replacing professional care",
    "missing-disclosure": "Missing disclosure",
    "missing-referral": "Missing referral",
    "missing-crisis-resources": "Missing crisis resources",
  };
  const EXAMPLE_TEXT = [
    "## Find your calm again",
    "",
    "I'm a certified life coach and I treat anxiety and depression with a proven 8-week method.",
    "My patients say it works better than therapy, so you can finally stop medication.",
    "",
    "Book a free discovery call today.",
    "",
  ].join("\n");

  const $ = (id) => document.getElementById(id);
  const el = {
    editor: $("editor"), highlights: $("highlights"), backdrop: $("backdrop"),
    docType: $("doc-type"), jurisdiction: $("jurisdiction"),
    summary: $("summary"), typeSource: $("type-source"), busy: $("busy"), banner: $("banner"),
    list: $("finding-list"), listEmpty: $("findings-empty"), count: $("findings-count"),
    detail: $("detail"), detailEmpty: $("detail-empty"), detailBody: $("detail-body"),
    severity: $("detail-severity"), category: $("detail-category"), message: $("detail-message"),
    excerpt: $("detail-excerpt"), rationale: $("detail-rationale"), citations: $("detail-citations"),
    rewriteTitle: $("rewrite-title"), suggestion: $("detail-suggestion"), apply: $("apply-fix"),
    copy: $("copy-suggestion"), rule: $("detail-rule"),
    checklist: $("checklist"), checklistEmpty: $("checklist-empty"), insertDisclaimer: $("insert-disclaimer"),
    downloadHtml: $("download-html"), downloadJson: $("download-json"), downloadsNote: $("downloads-note"),
    toast: $("toast"), fileInput: $("file-input"), dropzone: $("dropzone"), accepted: $("accepted-files"),
    urlForm: $("url-form"), urlInput: $("url-input"), urlSubmit: $("url-submit"), urlNote: $("url-note"),
  };

  const state = {
    name: "pasted-text",
    result: null,        // the last check response
    checkedText: null,   // the text that result describes
    selected: null,      // index into result.findings
    features: {},
    timer: null,
    sequence: 0,
    controller: null,
  };

  // ---------- talking to the server ----------

  async function postJson(url, body, signal) {
    const response = await fetch(url, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body), signal, credentials: "same-origin",
    });
    return readResponse(response);
  }

  async function readResponse(response) {
    const type = response.headers.get("content-type") || "";
    const data = type.includes("application/json") ? await response.json() : null;
    if (!response.ok) {
      const message = (data && data.error) || `The server answered ${response.status}.`;
      throw new Error(message);
    }
    return data;
  }

  function checkBody() {
    return {
      text: el.editor.value, name: state.name,
      doc_type: el.docType.value, jurisdiction: el.jurisdiction.value,
    };
  }

  function scheduleCheck() {
    clearTimeout(state.timer);
    state.timer = setTimeout(runCheck, CHECK_DELAY_MS);
  }

  async function runCheck() {
    clearTimeout(state.timer);
    if (state.controller) state.controller.abort();
    const controller = new AbortController();
    state.controller = controller;
    const sequence = ++state.sequence;
    const body = checkBody();
    el.busy.hidden = false;
    try {
      const result = await postJson("/api/check", body, controller.signal);
      if (sequence !== state.sequence) return;
      showResult(result, body.text);
      hideBanner();
    } catch (error) {
      if (error.name === "AbortError") return;
      showBanner(`Could not check the text: ${error.message}`, true);
    } finally {
      if (sequence === state.sequence) el.busy.hidden = true;
    }
  }

  // ---------- showing a result ----------

  function showResult(result, text) {
    const previous = selectedFinding();
    state.result = result;
    state.checkedText = text;
    state.selected = previous ? findSame(previous) : null;
    const doc = result.documents[0] || {};
    if (doc.status === "error") {
      showBanner(doc.error || "This text could not be checked.", true);
    } else if (doc.warnings && doc.warnings.length) {
      showBanner(doc.warnings.join(" "), false);
    }
    renderSummary(result, doc);
    renderHighlights();
    renderList();
    renderChecklist(doc);
    renderDetail(previous);
  }

  function findSame(previous) {
    const findings = state.result.findings;
    const exact = findings.findIndex((f) => f.fingerprint === previous.fingerprint);
    return exact >= 0 ? exact : null;
  }

  function selectedFinding() {
    if (!state.result || state.selected === null) return null;
    return state.result.findings[state.selected] || null;
  }

  function activeIndexes() {
    if (!state.result) return [];
    return state.result.findings.map((f, i) => i).filter((i) => !state.result.findings[i].suppressed);
  }

  function renderSummary(result, doc) {
    el.summary.replaceChildren();
    const counts = result.summary.findings;
    const total = counts.error + counts.warning + counts.info;
    if (doc.status === "error") {
      el.summary.append(chip("Could not be checked", "sev-error"));
    } else if (total === 0) {
      el.summary.append(chip("Nothing oversteps the scope of coaching", "clean"));
    } else {
      for (const severity of ["error", "warning", "info"]) {
        if (counts[severity]) el.summary.append(chip(`${counts[severity]} ${SEVERITY_WORDS[severity].toLowerCase()}`, `sev-${severity}`));
      }
    }
    const labels = result.labels.doc_types;
    const how = { flag: "as you chose", "front-matter": "from the front matter", default: "the default" }[doc.type_source] || doc.type_source;
    el.typeSource.textContent = doc.type ? `Checked as: ${labels[doc.type] || doc.type}${how ? ` (${how})` : ""}` : "";
  }

  function chip(text, cls) {
    const span = document.createElement("span");
    span.className = `chip ${cls}`;
    span.textContent = text;
    return span;
  }

  function renderHighlights() {
    const text = el.editor.value;
    const fragment = document.createDocumentFragment();
    const spans = currentSpans(text);
    const points = new Set([0, text.length]);
    for (const s of spans) { points.add(s.start); points.add(s.end); }
    const sorted = [...points].sort((a, b) => a - b);
    for (let k = 0; k < sorted.length - 1; k++) {
      const from = sorted[k], to = sorted[k + 1];
      const chunk = text.slice(from, to);
      const covering = spans.filter((s) => s.start <= from && s.end >= to);
      if (!covering.length) { fragment.append(chunk); continue; }
      covering.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
      const mark = document.createElement("mark");
      mark.className = `sev-${covering[0].severity}`;
      mark.dataset.findings = covering.map((s) => s.index).join(" ");
      if (covering.some((s) => s.index === state.selected)) mark.classList.add("is-selected");
      mark.textContent = chunk;
      fragment.append(mark);
    }
    fragment.append("\n\u200b"); // keeps the copy as tall as the textarea when it ends in a newline
    el.highlights.replaceChildren(fragment);
    syncScroll();
  }

  // spans are only trusted while the text is the one that was checked
  function currentSpans(text) {
    if (!state.result || text !== state.checkedText) return [];
    return state.result.findings
      .map((f, index) => ({ ...state.result.spans[index], severity: f.severity, index, suppressed: f.suppressed }))
      .filter((s) => s.end > s.start && !s.suppressed);
  }

  function renderList() {
    const findings = state.result.findings;
    el.list.replaceChildren();
    const order = findings.map((f, i) => i).sort((a, b) =>
      Number(Boolean(findings[a].suppressed)) - Number(Boolean(findings[b].suppressed))
      || state.result.spans[a].start - state.result.spans[b].start
      || SEVERITY_ORDER[findings[a].severity] - SEVERITY_ORDER[findings[b].severity]);
    for (const index of order) el.list.append(listItem(findings[index], index));
    const active = findings.filter((f) => !f.suppressed).length;
    el.count.textContent = findings.length ? `(${active})` : "";
    el.listEmpty.hidden = findings.length > 0;
    el.listEmpty.textContent = "No findings: nothing here oversteps the scope of coaching.";
    updateRovingFocus();
  }

  function listItem(finding, index) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "finding-item";
    if (finding.suppressed) button.classList.add("is-suppressed");
    button.dataset.index = String(index);
    button.tabIndex = -1;
    const dot = document.createElement("span");
    dot.className = `dot sev-${finding.severity}`;
    dot.setAttribute("aria-hidden", "true");
    const body = document.createElement("span");
    body.className = "finding-text";
    const title = document.createElement("span");
    title.className = "finding-title";
    title.textContent = finding.message;
    const where = document.createElement("span");
    where.className = "finding-where";
    where.textContent = finding.suppressed
      ? `Switched off: ${finding.suppressed}`
      : `${SEVERITY_WORDS[finding.severity]} · ${whereText(finding, index)}`;
    body.append(title, where);
    button.append(dot, body);
    button.setAttribute("aria-label", `${SEVERITY_WORDS[finding.severity]}: ${finding.message} (${whereText(finding, index)})`);
    button.addEventListener("click", () => select(index, { reveal: true }));
    li.append(button);
    return li;
  }

  function whereText(finding, index) {
    const span = state.result.spans[index];
    if (span.end <= span.start) return "missing from the text";
    return `“${shorten(finding.excerpt.slice(finding.highlight[0], finding.highlight[1]), 40)}”, ${finding.location}`;
  }

  function shorten(text, max) {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  }

  function updateRovingFocus() {
    const buttons = [...el.list.querySelectorAll(".finding-item")];
    buttons.forEach((b) => {
      const current = Number(b.dataset.index) === state.selected;
      b.setAttribute("aria-current", current ? "true" : "false");
      b.tabIndex = -1;
    });
    const current = buttons.find((b) => Number(b.dataset.index) === state.selected) || buttons[0];
    if (current) current.tabIndex = 0;
  }

  // ---------- the selected finding ----------

  function select(index, { reveal = false, focusList = false } = {}) {
    state.selected = index;
    renderHighlights();
    updateRovingFocus();
    renderDetail(null);
    if (reveal) revealSpan(index);
    if (focusList) {
      const button = el.list.querySelector(`.finding-item[data-index="${index}"]`);
      if (button) { button.focus(); }
    }
  }

  function renderDetail(previous) {
    const finding = selectedFinding();
    el.detail.classList.remove("sev-error", "sev-warning", "sev-info");
    if (!finding) {
      el.detailBody.hidden = true;
      el.detailEmpty.hidden = false;
      el.detailEmpty.textContent = previous
        ? "Done: that finding is gone. Select another highlighted passage or a finding in the list."
        : "Select a highlighted passage or a finding in the list to see what to change and why.";
      return;
    }
    const rule = state.result.rules[finding.rule_id] || {};
    const span = state.result.spans[state.selected];
    el.detail.classList.add(`sev-${finding.severity}`);
    el.detailEmpty.hidden = true;
    el.detailBody.hidden = false;
    el.severity.className = `badge sev-${finding.severity}`;
    el.severity.textContent = SEVERITY_WORDS[finding.severity];
    el.category.textContent = CATEGORY_WORDS[finding.category] || finding.category;
    el.message.textContent = finding.message;
    renderExcerpt(finding, span);
    el.rationale.textContent = rule.rationale || "No rationale is recorded for this rule.";
    el.citations.replaceChildren(...citationItems(finding.citations.length ? finding.citations : rule.citations || []));
    const wording = insertableWording(finding);
    if (span.applies && finding.fix) {
      el.rewriteTitle.textContent = "Suggested rewrite";
      el.suggestion.textContent = `Replace “${finding.excerpt.slice(finding.highlight[0], finding.highlight[1])}” with “${finding.fix.replacement}”.`;
      el.apply.textContent = "Apply this rewrite";
      el.apply.hidden = false;
    } else if (wording) {
      el.rewriteTitle.textContent = "Wording to add";
      el.suggestion.textContent = wording;
      el.apply.textContent = "Insert into my text";
      el.apply.hidden = false;
    } else {
      el.rewriteTitle.textContent = "How to rewrite it";
      el.suggestion.textContent = finding.suggestion || "Rephrase this passage in coaching terms.";
      el.apply.hidden = true;
    }
    el.apply.disabled = Boolean(finding.suppressed);
    el.rule.textContent = `Rule ${finding.rule_id}${rule.title ? `: ${rule.title}` : ""} · ${finding.location}`;
  }

  function renderExcerpt(finding, span) {
    el.excerpt.replaceChildren();
    if (span.end <= span.start) {
      el.excerpt.textContent = finding.searched && finding.searched.length
        ? "Not found anywhere in the text."
        : "Missing from the text.";
      return;
    }
    const [a, b] = finding.highlight;
    const mark = document.createElement("mark");
    mark.className = `sev-${finding.severity}`;
    mark.textContent = finding.excerpt.slice(a, b);
    el.excerpt.append(finding.excerpt.slice(0, a), mark, finding.excerpt.slice(b));
  }

  function citationItems(citations) {
    if (!citations.length) {
      const li = document.createElement("li");
      li.textContent = "No citation recorded.";
      return [li];
    }
    return citations.map((c) => {
      const li = document.createElement("li");
      const parts = [c.body, c.document + (c.version ? ` (${c.version})` : "")];
      if (c.section) parts.push(c.section);
      li.textContent = parts.join(", ");
      if (c.note) {
        const note = document.createElement("span");
        note.className = "citation-note";
        note.textContent = ` (${c.note})`;
        li.append(note);
      }
      return li;
    });
  }

  // "Add: ..." suggestions are wording to insert; anything else is advice
  function insertableWording(finding) {
    const match = /^\s*add:\s*(.+)$/is.exec(finding.suggestion || "");
    if (!match) return null;
    return match[1].trim().replace(/^["“](.*)["”]$/s, "$1");
  }

  function revealSpan(index) {
    const mark = el.highlights.querySelector(`mark[data-findings~="${index}"]`);
    if (mark) {
      el.editor.scrollTop = Math.max(0, mark.offsetTop - el.editor.clientHeight / 3);
      syncScroll();
    }
  }

  // ---------- changing the text ----------

  function replaceRange(start, end, replacement) {
    el.editor.focus();
    el.editor.setSelectionRange(start, end);
    // execCommand keeps the change on the browser's undo stack (Ctrl+Z undoes it)
    const done = document.execCommand && document.execCommand("insertText", false, replacement);
    if (!done || el.editor.value.slice(start, start + replacement.length) !== replacement) {
      el.editor.setRangeText(replacement, start, end, "end");
    }
    afterEdit();
    runCheck();
  }

  function applySelected() {
    const finding = selectedFinding();
    if (!finding) return;
    if (el.editor.value !== state.checkedText) {
      toast("Your text changed since the last check; checking again first.");
      runCheck();
      return;
    }
    const span = state.result.spans[state.selected];
    if (span.applies && finding.fix) {
      replaceRange(span.start, span.end, finding.fix.replacement);
      toast("Rewrite applied. Press Ctrl+Z to undo.");
      return;
    }
    const wording = insertableWording(finding);
    if (wording) {
      insertWording(wording, span.end > span.start ? { after: span.end } : { placement: placementOf(finding) });
    }
  }

  function placementOf(finding) {
    return /top|start|beginning|before/i.test(finding.message) ? "top" : "end";
  }

  function insertWording(wording, where) {
    const text = el.editor.value;
    let at;
    let insertion;
    if (where.after !== undefined) {
      const paragraphEnd = text.indexOf("\n\n", where.after);
      at = paragraphEnd === -1 ? text.replace(/\s+$/, "").length : paragraphEnd;
      insertion = `\n\n${wording}`;
    } else if (where.placement === "top") {
      at = bodyStart(text);
      insertion = `${wording}\n\n`;
    } else {
      at = text.replace(/\s+$/, "").length;
      insertion = at === 0 ? wording : `\n\n${wording}`;
    }
    replaceRange(at, at, insertion);
    toast("Wording inserted. Adjust it to your voice if you like; Ctrl+Z undoes it.");
  }

  function bodyStart(text) {
    const front = /^---\n[\s\S]*?\n(?:---|\.\.\.)[ \t]*\n/.exec(text);
    return front ? front[0].length : 0;
  }

  function afterEdit() {
    renderHighlights();
    saveDraft();
  }

  // ---------- checklist and disclaimers ----------

  function renderChecklist(doc) {
    el.checklist.replaceChildren();
    const items = doc.checklist || [];
    el.checklistEmpty.hidden = items.length > 0;
    el.checklistEmpty.textContent = doc.status === "error"
      ? "The checklist appears once your text can be checked."
      : "Nothing is required for this document type.";
    const missing = [];
    for (const item of items) {
      const li = document.createElement("li");
      const mark = document.createElement("span");
      mark.className = `check-mark ${item.present ? "present" : "missing"}`;
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = item.present ? "✓" : "!";
      const body = document.createElement("div");
      const label = document.createElement("span");
      label.className = "check-label";
      label.textContent = state.result.labels.elements[item.element] || item.element;
      const status = document.createElement("span");
      status.className = "visually-hidden";
      status.textContent = item.present ? ": present" : ": missing";
      const evidence = document.createElement("span");
      evidence.className = "check-evidence";
      evidence.textContent = item.present ? (item.evidence || "Present.") : "Missing.";
      body.append(label, status, evidence);
      if (!item.present) {
        missing.push(item.element);
        const actions = document.createElement("div");
        actions.className = "check-actions";
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.textContent = "Insert ready wording";
        button.setAttribute("aria-label", `Insert ready wording for: ${label.textContent}`);
        button.addEventListener("click", () => insertElement(item.element));
        actions.append(button);
        body.append(actions);
      }
      li.append(mark, body);
      el.checklist.append(li);
    }
    el.insertDisclaimer.hidden = missing.length < 2 && !(missing.length && state.features.disclaimer_templates);
    el.insertDisclaimer.dataset.missing = missing.join(" ");
    el.insertDisclaimer.textContent = state.features.disclaimer_templates
      ? "Insert a complete ready disclaimer" : `Insert wording for all ${missing.length} missing items`;
  }

  async function insertElement(element) {
    try {
      const answer = await postJson("/api/disclaimer", {
        element, doc_type: el.docType.value, jurisdiction: el.jurisdiction.value });
      insertWording(answer.text, { placement: answer.placement });
    } catch (error) {
      showBanner(`No ready wording: ${error.message}`, true);
    }
  }

  async function insertAllMissing() {
    const missing = (el.insertDisclaimer.dataset.missing || "").split(" ").filter(Boolean);
    const docType = (state.result && state.result.documents[0].type) || el.docType.value;
    try {
      const answer = await postJson("/api/disclaimer", {
        missing, doc_type: docType, jurisdiction: el.jurisdiction.value });
      insertWording(answer.text, { placement: answer.placement });
    } catch (error) {
      showBanner(`No ready disclaimer: ${error.message}`, true);
    }
  }

  // ---------- loading text from elsewhere ----------

  function loadDocument(answer) {
    state.name = answer.name;
    el.editor.value = answer.text;
    el.editor.scrollTop = 0;
    saveDraft();
    showResult(answer.result, answer.text);
    const notes = [];
    if (answer.converted) notes.push(`The text of ${answer.name} is below. Edits here do not change your original file.`);
    notes.push(...answer.warnings);
    if (notes.length) showBanner(notes.join(" "), false);
    selectTab("tab-paste");
    el.editor.focus();
    toast(`Loaded ${answer.name}.`);
  }

  async function uploadFile(file) {
    if (!file) return;
    if (file.size > (state.maxUpload || Infinity)) {
      showBanner(`${file.name} is larger than the ${Math.round(state.maxUpload / 1048576)} MB limit; split it into smaller parts.`, true);
      return;
    }
    const params = new URLSearchParams({ name: file.name, doc_type: el.docType.value, jurisdiction: el.jurisdiction.value });
    el.busy.hidden = false;
    try {
      const response = await fetch(`/api/upload?${params}`, {
        method: "POST", body: file, headers: { "Content-Type": "application/octet-stream" }, credentials: "same-origin" });
      loadDocument(await readResponse(response));
    } catch (error) {
      showBanner(error.message, true);
    } finally {
      el.busy.hidden = true;
      el.fileInput.value = "";
    }
  }

  async function fetchPage(event) {
    event.preventDefault();
    const url = el.urlInput.value.trim();
    if (!url) { showBanner("Enter the address of a page, for example https://your-coaching-site.com/about", true); return; }
    el.urlSubmit.disabled = true;
    el.busy.hidden = false;
    try {
      loadDocument(await postJson("/api/fetch", { url, doc_type: el.docType.value, jurisdiction: el.jurisdiction.value }));
    } catch (error) {
      showBanner(error.message, true);
    } finally {
      el.urlSubmit.disabled = !state.features.fetch_url;
      el.busy.hidden = true;
    }
  }

  // ---------- downloads ----------

  async function download(format) {
    try {
      const response = await fetch(`/api/report?format=${format}`, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(checkBody()), credentials: "same-origin" });
      if (!response.ok) { await readResponse(response); return; }
      const blob = await response.blob();
      const disposition = response.headers.get("content-disposition") || "";
      const name = /filename="([^"]+)"/.exec(disposition);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name ? name[1] : `scopecheck.${format}`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      toast(`Saved ${link.download} to your downloads.`);
    } catch (error) {
      showBanner(`Could not prepare the download: ${error.message}`, true);
    }
  }

  // ---------- small pieces of interface ----------

  function showBanner(message, isError) {
    el.banner.textContent = message;
    el.banner.classList.toggle("is-error", Boolean(isError));
    el.banner.hidden = false;
  }

  function hideBanner() {
    if (el.banner.classList.contains("is-error")) el.banner.hidden = true;
  }

  let toastTimer = null;
  function toast(message) {
    el.toast.textContent = message;
    el.toast.classList.add("is-visible");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => el.toast.classList.remove("is-visible"), 3500);
  }

  function syncScroll() {
    el.backdrop.scrollTop = el.editor.scrollTop;
  }

  function saveDraft() {
    try {
      sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ text: el.editor.value, name: state.name }));
    } catch (_) { /* storage full or switched off: the draft is simply not kept */ }
  }

  function restoreDraft() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(DRAFT_KEY) || "null");
      if (saved && typeof saved.text === "string") {
        el.editor.value = saved.text;
        state.name = typeof saved.name === "string" ? saved.name : state.name;
      }
    } catch (_) { /* a damaged draft is ignored */ }
  }

  function selectTab(id) {
    for (const tab of document.querySelectorAll('[role="tab"]')) {
      const on = tab.id === id;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      $(tab.getAttribute("aria-controls")).hidden = !on;
    }
  }

  function stepFinding(direction) {
    const indexes = activeIndexes().filter((i) => state.result.spans[i].end > state.result.spans[i].start)
      .sort((a, b) => state.result.spans[a].start - state.result.spans[b].start);
    if (!indexes.length) return;
    const caret = el.editor.selectionStart;
    let next;
    if (direction > 0) next = indexes.find((i) => state.result.spans[i].start > caret) ?? indexes[0];
    else next = [...indexes].reverse().find((i) => state.result.spans[i].end < caret) ?? indexes[indexes.length - 1];
    const span = state.result.spans[next];
    el.editor.setSelectionRange(span.start, span.end);
    select(next, { reveal: true });
  }

  function selectAtCaret() {
    if (!state.result || el.editor.value !== state.checkedText) return;
    const caret = el.editor.selectionStart;
    const here = activeIndexes().filter((i) => {
      const s = state.result.spans[i];
      return s.end > s.start && s.start <= caret && caret <= s.end;
    }).sort((a, b) => SEVERITY_ORDER[state.result.findings[a].severity] - SEVERITY_ORDER[state.result.findings[b].severity]);
    if (here.length && here[0] !== state.selected) select(here[0]);
  }

  // ---------- wiring ----------

  function wire() {
    el.editor.addEventListener("input", () => { afterEdit(); scheduleCheck(); });
    el.editor.addEventListener("scroll", syncScroll);
    el.editor.addEventListener("click", selectAtCaret);
    el.editor.addEventListener("keyup", (event) => { if (event.key.startsWith("Arrow") || event.key === "Home" || event.key === "End") selectAtCaret(); });
    el.editor.addEventListener("keydown", (event) => {
      if (event.key === "F8") { event.preventDefault(); stepFinding(event.shiftKey ? -1 : 1); }
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "F8" && event.target !== el.editor) { event.preventDefault(); stepFinding(event.shiftKey ? -1 : 1); }
    });
    new ResizeObserver(renderHighlights).observe(el.editor);

    el.list.addEventListener("keydown", (event) => {
      const buttons = [...el.list.querySelectorAll(".finding-item")];
      const at = buttons.indexOf(document.activeElement);
      if (at < 0) return;
      let target = null;
      if (event.key === "ArrowDown") target = buttons[Math.min(at + 1, buttons.length - 1)];
      if (event.key === "ArrowUp") target = buttons[Math.max(at - 1, 0)];
      if (event.key === "Home") target = buttons[0];
      if (event.key === "End") target = buttons[buttons.length - 1];
      if (target) { event.preventDefault(); select(Number(target.dataset.index), { reveal: true, focusList: true }); }
    });

    el.apply.addEventListener("click", applySelected);
    el.copy.addEventListener("click", async () => {
      const finding = selectedFinding();
      const text = finding && (finding.fix && state.result.spans[state.selected].applies
        ? finding.fix.replacement : insertableWording(finding) || finding.suggestion);
      if (!text) return;
      try {
        await navigator.clipboard.writeText(text);
        toast("Copied. Paste it where it fits in your text.");
      } catch (_) {
        showBanner("Your browser did not allow copying; select the suggestion and copy it with Ctrl+C.", false);
      }
    });
    el.insertDisclaimer.addEventListener("click", insertAllMissing);
    el.downloadHtml.addEventListener("click", () => download("html"));
    el.downloadJson.addEventListener("click", () => download("json"));
    el.docType.addEventListener("change", runCheck);
    el.jurisdiction.addEventListener("change", runCheck);
    $("load-example").addEventListener("click", () => {
      state.name = "example.md";
      el.editor.value = EXAMPLE_TEXT;
      afterEdit();
      runCheck();
      el.editor.focus();
    });
    $("clear-text").addEventListener("click", () => {
      state.name = "pasted-text";
      el.editor.value = "";
      afterEdit();
      runCheck();
      el.editor.focus();
    });

    const tabs = [...document.querySelectorAll('[role="tab"]')];
    for (const tab of tabs) {
      tab.addEventListener("click", () => selectTab(tab.id));
      tab.addEventListener("keydown", (event) => {
        const at = tabs.indexOf(tab);
        let next = null;
        if (event.key === "ArrowRight") next = tabs[(at + 1) % tabs.length];
        if (event.key === "ArrowLeft") next = tabs[(at - 1 + tabs.length) % tabs.length];
        if (next) { event.preventDefault(); selectTab(next.id); next.focus(); }
      });
    }

    el.fileInput.addEventListener("change", () => uploadFile(el.fileInput.files[0]));
    el.dropzone.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); el.fileInput.click(); }
    });
    for (const name of ["dragenter", "dragover"]) {
      el.dropzone.addEventListener(name, (event) => { event.preventDefault(); el.dropzone.classList.add("is-dragging"); });
    }
    for (const name of ["dragleave", "drop"]) {
      el.dropzone.addEventListener(name, () => el.dropzone.classList.remove("is-dragging"));
    }
    el.dropzone.addEventListener("drop", (event) => {
      event.preventDefault();
      uploadFile(event.dataTransfer.files[0]);
    });
    el.urlForm.addEventListener("submit", fetchPage);
  }

  function fillSelect(select, choices, value) {
    select.replaceChildren(...choices.map((c) => {
      const option = document.createElement("option");
      option.value = c.value;
      option.textContent = c.label;
      return option;
    }));
    if (value) select.value = value;
  }

  async function start() {
    wire();
    el.dropzone.tabIndex = 0;
    el.dropzone.setAttribute("role", "button");
    try {
      const response = await fetch("/api/options", { credentials: "same-origin" });
      const options = await readResponse(response);
      fillSelect(el.docType, options.doc_types, "auto");
      fillSelect(el.jurisdiction, options.jurisdictions, "us");
      state.features = options.features;
      state.maxUpload = options.max_upload_bytes;
      el.accepted.textContent = `${options.accepted_files}; up to ${Math.round(options.max_upload_bytes / 1048576)} MB`;
      if (!options.features.html_report) {
        el.downloadHtml.disabled = true;
        el.downloadsNote.textContent = "The HTML audit report is not part of this install; the JSON download has the same content.";
      }
      if (!options.features.fetch_url) {
        el.urlInput.disabled = true;
        el.urlSubmit.disabled = true;
        el.urlNote.textContent = "Reading a website address is not part of this install. Save the page from your browser (File > Save Page As) and upload it instead.";
      }
    } catch (error) {
      showBanner(`The page could not reach scopecheck: ${error.message}. Is it still running?`, true);
      return;
    }
    restoreDraft();
    runCheck();
  }

  start();
})();
