#!/usr/bin/env python3
"""Checks an si_monitor report (HTML file or Chromium's --dump-dom of it)
against the BI views it was made from (monitor_report.sh).

usage: monitor_report_check.py REPORT.html LANG VIEWS_DIR

VIEWS_DIR holds one CSV per view (psql --csv, the report's ORDER BY).
Prints one line per check: "ok|description" or "not ok|description|detail".

Checks: every chart has its marks (one per view row with an estimate, and
the bands, lines and limits around them), every data-* value and table cell
equals the view's value, every displayed number is that value rounded as
the language writes it (Danish: decimal comma, "." thousands), and the page
loads nothing from outside (no script, link, src, url() or external href).
"""
import csv
import html.parser
import math
import os
import re
import sys


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []
        self.text = ""

    def find_all(self, pred):
        out = []
        for c in self.children:
            if pred(c):
                out.append(c)
            out.extend(c.find_all(pred))
        return out

    def all_text(self):
        return self.text + "".join(c.all_text() for c in self.children)

    def ancestor(self, pred):
        p = self.parent
        while p is not None:
            if pred(p):
                return p
            p = p.parent
        return None


VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "wbr", "source"}


class Tree(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root
        self.tags = []

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        p = self.cur
        while p is not None and p.tag != tag:
            p = p.parent
        if p is not None and p.parent is not None:
            self.cur = p.parent

    def handle_data(self, data):
        self.cur.text += data


results = []


def check(cond, desc, detail=""):
    results.append((bool(cond), desc, detail))
    return cond


def num(s):
    if s is None or s == "":
        return None
    try:
        return float(s)
    except ValueError:
        return s


def same(a, b):
    """Equal as numbers (relative 1e-9) or as text; "" is NULL."""
    x, y = num(a), num(b)
    if isinstance(x, float) and isinstance(y, float):
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))
    if x in ("t", "f") or y in ("t", "f"):
        return str(a) == str(b)
    return (a or "") == (b or "")


def read_view(d, v):
    with open(os.path.join(d, v + ".csv"), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def chart(root, name):
    svgs = root.find_all(lambda n: n.tag == "svg" and n.attrs.get("data-chart") == name)
    return svgs


def compare_marks(marks, rows, cols, desc):
    """marks: nodes with data-<col> attributes; rows: view rows (same order)."""
    if not check(len(marks) == len(rows), desc + ": one mark per view row",
                 "%d marks, %d rows" % (len(marks), len(rows))):
        return
    bad = []
    for i, (m, r) in enumerate(zip(marks, rows)):
        for c in cols:
            a = m.attrs.get("data-" + c.replace("_", "-"))
            if not same(a, r[c]):
                bad.append("row %d %s: html %r view %r" % (i, c, a, r[c]))
    check(not bad, desc + ": data-* values equal the view's", "; ".join(bad[:5]))


DA_NUM = re.compile(r"^(\u2212)?\d{1,3}(\.\d{3})*(,\d+)?(\u00a0%)?$")
EN_NUM = re.compile(r"^(\u2212)?\d{1,3}(,\d{3})*(\.\d+)?%?$")


def displayed_value(text, lang):
    t = text.replace("\u00a0%", "").replace("%", "").replace("\u2212", "-")
    if lang == "da":
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", "")
    return float(t)


def main():
    path, lang, views = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(path, encoding="utf-8") as f:
        page = f.read()
    tree = Tree()
    tree.feed(page)
    root = tree.root

    # --- self-contained: nothing loaded from outside
    ext = [t for t, a in tree.tags if t in ("script", "link", "iframe", "img", "object", "embed")
           or "src" in a or ("href" in a and not a["href"].startswith("#"))]
    check(not ext, "no external assets (script, link, src, external href)", repr(ext[:3]))
    check("url(" not in page and "@import" not in page, "no url() or @import in the CSS")
    check(root.find_all(lambda n: n.tag == "html" and n.attrs.get("lang") == lang),
          "html lang is %s" % lang)

    # --- trajectory: a circle per row with an estimate, bands and lines per series
    rows = [r for r in read_view(views, "v_trajectory") if r["estimate"] != ""]
    svg = chart(root, "trajectory")
    if check(len(svg) == 1, "trajectory chart present"):
        for flag, name in (("f", "not mentored"), ("t", "mentored")):
            g = svg[0].find_all(lambda n: n.tag == "g" and n.attrs.get("data-mentored") == ("true" if flag == "t" else "false"))
            sub = [r for r in rows if r["mentored"] == flag]
            if check(len(g) == 1, "trajectory: series %s" % name):
                check(len(g[0].find_all(lambda n: n.tag == "path" and "band" in n.attrs.get("class", ""))) >= 1,
                      "trajectory %s: confidence band drawn" % name)
                check(len(g[0].find_all(lambda n: n.tag == "polyline")) >= 1, "trajectory %s: line drawn" % name)
                compare_marks(g[0].find_all(lambda n: n.tag == "circle"), sub,
                              ["weeks_since_start", "n_observed", "estimate", "conf_low", "conf_high"],
                              "trajectory %s" % name)

    # --- event study: estimate, pointwise and uniform band per event time
    rows = read_view(views, "v_event_study")
    svg = chart(root, "event_study")
    if check(len(svg) == 1, "event study chart present"):
        gs = svg[0].find_all(lambda n: n.tag == "g" and n.attrs.get("class") == "es")
        compare_marks(gs, rows, ["event_time", "estimate", "std_error", "conf_low", "conf_high",
                                 "uniform_conf_low", "uniform_conf_high"], "event study")
        full = [g for g in gs
                if len(g.find_all(lambda n: n.tag == "line" and n.attrs.get("class") == "uniform")) == 1
                and len(g.find_all(lambda n: n.tag == "line" and n.attrs.get("class") == "pointwise")) == 1
                and len(g.find_all(lambda n: n.tag == "circle")) == 1]
        check(len(full) == len(rows), "event study: each point has its pointwise and uniform band",
              "%d of %d" % (len(full), len(rows)))

    # --- funnel: a point per municipality with an estimate, four limit lines, the national rate
    bench = read_view(views, "v_benchmark")
    rows = [r for r in bench if r["estimate"] != "" and r["n_persons"] != ""]
    svg = chart(root, "funnel")
    if check(len(svg) == 1, "funnel plot present"):
        compare_marks(svg[0].find_all(lambda n: n.tag == "circle"), rows,
                      ["municipality", "n_persons", "estimate", "funnel95_low", "funnel95_high",
                       "funnel998_low", "funnel998_high", "position"], "funnel")
        lim = sorted(n.attrs.get("data-limit") for n in svg[0].find_all(lambda n: n.tag == "polyline"))
        check(lim == ["funnel95_high", "funnel95_low", "funnel998_high", "funnel998_low"],
              "funnel: the 95 % and 99.8 % limits drawn", repr(lim))
        nat = svg[0].find_all(lambda n: n.attrs.get("data-national") is not None)
        check(len(nat) == 1 and same(nat[0].attrs["data-national"], bench[0]["national"]),
              "funnel: national rate line at the view's national")

    # --- caterpillar: rows by adjusted estimate, descending
    svg = chart(root, "caterpillar")
    if check(len(svg) == 1, "caterpillar chart present"):
        ordered = sorted(rows, key=lambda r: -float(r["estimate"]))
        gs = svg[0].find_all(lambda n: n.tag == "g" and n.attrs.get("class") == "row")
        compare_marks(gs, ordered, ["municipality", "estimate", "conf_low", "conf_high"], "caterpillar")

    # --- progression per item and effects per municipality: a row per estimate
    for name, view, key in (("progression", "v_progression_change", None),
                            ("effects", "v_municipality_effects", "municipality")):
        rows = [r for r in read_view(views, view) if r["estimate"] != ""]
        svg = chart(root, name)
        if check(len(svg) == 1, "%s chart present" % name):
            gs = svg[0].find_all(lambda n: n.tag == "g" and n.attrs.get("class") == "row")
            compare_marks(gs, rows, ["estimate", "conf_low", "conf_high"] + ([key] if key else []), name)

    # --- payout: a bar per schedule row
    rows = read_view(views, "v_payout")
    svg = chart(root, "payout")
    check(len(svg) == len({(r["municipality"], r["programme"]) for r in rows}),
          "payout: one chart per stored contract", "%d charts" % len(svg))
    bars = [b for s in svg for b in s.find_all(lambda n: n.tag == "rect" and "bar" in n.attrs.get("class", "").split())]
    compare_marks(bars, rows, ["period", "component", "amount_due", "cumulative_due"], "payout")

    # --- every table cell equals its view, and is displayed as the language writes numbers
    tables = root.find_all(lambda n: n.tag == "table")
    seen = set()
    pat = DA_NUM if lang == "da" else EN_NUM
    nbad_fmt, ncomma, nnum = [], 0, 0
    for t in tables:
        view = t.attrs.get("data-view")
        seen.add(view)
        vrows = read_view(views, view)
        trs = t.find_all(lambda n: n.tag == "tr" and "data-row" in n.attrs)
        if not check(len(trs) == len(vrows), "table %s: one row per view row" % view,
                     "%d vs %d" % (len(trs), len(vrows))):
            continue
        bad = []
        for i, (tr, vr) in enumerate(zip(trs, vrows)):
            for td in tr.find_all(lambda n: n.tag == "td"):
                c = td.attrs.get("data-col")
                v = td.attrs.get("data-value")
                if not same(v, vr.get(c)):
                    bad.append("row %d %s: html %r view %r" % (i, c, v, vr.get(c)))
                    continue
                cls = td.attrs.get("class", "")
                text = td.all_text().strip()
                if "num" not in cls.split() or v in (None, "") or vr.get(c) in ("t", "f"):
                    continue
                nnum += 1
                if not pat.match(text):
                    nbad_fmt.append("%s.%s %r" % (view, c, text))
                    continue
                ncomma += ("," in text) if lang == "da" else ("." in text)
                shown = displayed_value(text, lang)
                val = float(v) * (100 if "%" in text else 1)
                core = text.replace("\u00a0%", "").replace("%", "")
                sep = "," if lang == "da" else "."
                dec = len(core.split(sep)[1]) if sep in core else 0
                if abs(shown - val) > 0.5 * 10 ** -dec + 1e-9 * max(1, abs(val)):
                    bad.append("row %d %s: shown %r for %r" % (i, c, text, v))
        check(not bad, "table %s: cells equal the view and are rounded correctly" % view, "; ".join(bad[:5]))
    for view in ("v_course_status", "v_arrival_cohort", "v_benchmark", "v_goal_results",
                 "v_progression_change", "v_municipality_effects", "v_payout"):
        if read_view(views, view):
            check(view in seen, "table of %s present" % view)
        else:
            check(root.find_all(lambda n: n.attrs.get("data-empty") == view) or view in seen,
                  "empty %s is said so" % view)
    check(not nbad_fmt and nnum > 0, "%s number format in every numeric cell (%d cells)" % (lang, nnum),
          "; ".join(nbad_fmt[:5]))
    check(ncomma > 0, "decimal %s used" % ("comma" if lang == "da" else "point"))

    for ok, desc, detail in results:
        print(("ok|%s" % desc) if ok else ("not ok|%s|%s" % (desc, detail)))


if __name__ == "__main__":
    main()
