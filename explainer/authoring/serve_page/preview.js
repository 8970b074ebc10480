// The live preview: one EventSource on /events; each "build" event refetches /status.json.
// Outputs reload only when a newer good build exists, so a broken save keeps the last good
// preview on screen while its error shows above it. Text is set with textContent only.
"use strict";
const AUDIENCES = ["patient", "clinician", "press"];
let shownGood = -1;

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function fillList(list, problems) {
  list.replaceChildren(...problems.map((p) => el("li", p.text, "level-" + p.level)));
}

function fillRows(rows) {
  const table = document.getElementById("rows");
  const keys = [];
  rows.forEach((row) => Object.keys(row).forEach((k) => { if (!keys.includes(k)) keys.push(k); }));
  const head = el("tr");
  keys.forEach((k) => { const th = el("th", k.replace(/_/g, " ")); th.scope = "col"; head.append(th); });
  table.tHead.replaceChildren(head);
  table.tBodies[0].replaceChildren(...rows.map((row) => {
    const tr = el("tr");
    keys.forEach((k) => {
      const v = row[k];
      tr.append(el("td", Array.isArray(v) ? v.join(", ") : (v && typeof v === "object") ? JSON.stringify(v) : (v ?? "–")));
    });
    return tr;
  }));
}

async function refresh() {
  let s;
  try {
    s = await (await fetch("/status.json", { cache: "no-store" })).json();
  } catch (e) {
    document.getElementById("state").textContent = "server stopped";
    return;
  }
  document.getElementById("findings").textContent = s.findings;
  const errorBox = document.getElementById("error");
  errorBox.hidden = s.error.length === 0;
  fillList(document.getElementById("error-list"), s.error);
  fillList(document.getElementById("problems"), s.problems);
  const errors = s.problems.filter((p) => p.level === "error").length;
  document.getElementById("problem-count").textContent =
    `(${errors} errors, ${s.problems.length - errors} warnings)`;
  fillRows(s.rows);
  if (s.good_version !== shownGood) {
    shownGood = s.good_version;
    AUDIENCES.forEach((a) => {
      const frame = document.getElementById("frame-" + a);
      if (s.outputs.includes(a + ".html")) frame.src = `/out/${a}.html?v=${s.good_version}`;
    });
  }
  AUDIENCES.forEach((a) => {
    const link = document.querySelector(`a[data-pdf="${a}"]`);
    link.hidden = !s.outputs.includes(a + ".pdf");
    link.href = `/out/${a}.pdf?v=${s.version}`;
  });
  document.getElementById("report").hidden = !s.outputs.includes("report.html");
  const built = s.error.length ? "last save failed"
    : s.checking ? `shown in ${s.seconds.toFixed(2)} s; checking…`
    : `shown in ${s.seconds.toFixed(2)} s, checked in ${s.check_seconds.toFixed(2)} s`;
  document.getElementById("state").textContent = `${built}; PDF ${s.pdf}`;
  document.body.dataset.version = s.version;
  document.body.dataset.good = s.good_version;
}

document.querySelectorAll(".tabs button").forEach((button) => {
  button.addEventListener("click", () => {
    document.querySelectorAll(".tabs button").forEach((b) =>
      b.setAttribute("aria-pressed", String(b === button)));
    document.querySelectorAll(".pane").forEach((p) =>
      p.classList.toggle("active", p.id === "pane-" + button.dataset.tab));
  });
});

new EventSource("/events").addEventListener("build", refresh);
refresh();
