#!/usr/bin/env python3
"""Independent reference for the arrival-cohort and benchmarking suites.

Pure Python (no numpy), written separately from the C and SQL code: it
reads the fixture below (the same rows sql/monitor_arrival.sql and
sql/monitor_benchmark.sql insert; `--sql` prints them as SQL) and
computes, from its own reading of the definitions in docs/monitoring.md
and docs/methods.md:

- every person's status 12 months (52 weeks) after arrival;
- per municipality and arrival year: the counts, the share
  self-supporting with its Wilson interval, the other municipalities'
  share and Newcombe's hybrid score interval of the difference;
- the person-level logistic regression on background composition, by
  iteratively reweighted least squares iterated to full convergence;
- per municipality: observed, expected, adjusted estimate with its
  interval, Spiegelhalter's exact binomial funnel limits (exact rational
  arithmetic for the binomial probabilities), position, rank;
- hand values of the funnel limits for test/unit/test_funnel.c.

Run: python3 test/monitor_reference.py        (the reference values)
     python3 test/monitor_reference.py --sql  (the fixture as SQL)
     python3 test/monitor_reference.py --expected  (the values as the SQL
                    rows the suites hold; test/integration/monitor_reference.sh
                    checks that the suites hold exactly these)
"""
import datetime
import math
import sys
from fractions import Fraction
from statistics import NormalDist

# person_id, municipality, sex, birth_date, origin, arrival_week,
# education_level, weeks on benefit (code 130) from arrival (0 = no
# person_path row), end_reason, weeks from arrival to observed_to
# (None = no observation_period row)
PERSONS = [
    (1, 101, 'M', '1984-12-09', 'Syria', '2020-08-24', 3, 28, 'end_of_data', 110),
    (2, 101, 'F', '1987-06-12', 'Syria', '2020-02-24', 1, 100, 'end_of_data', 41),
    (3, 101, 'M', '1998-02-20', 'Syria', '2021-03-15', 0, 13, 'end_of_data', 134),
    (4, 101, 'M', '1995-10-19', 'Ukraine', '2021-07-19', 3, 6, 'end_of_data', 146),
    (5, 101, 'M', '1970-05-17', 'Syria', '2020-07-20', 0, 5, 'folkepension', 15),
    (6, 101, 'M', '1975-08-22', 'Eritrea', '2021-02-22', 2, 19, 'end_of_data', 136),
    (7, 101, 'F', '1977-04-15', 'Ukraine', '2021-04-26', 2, 9, 'end_of_data', 116),
    (8, 101, 'F', '2000-06-23', 'Ukraine', '2020-06-29', 1, 76, 'end_of_data', 65),
    (9, 101, 'F', '1996-07-04', 'Eritrea', '2021-08-02', 1, 0, 'end_of_data', 105),
    (10, 101, 'M', '1993-04-01', 'Eritrea', '2021-02-22', 1, 76, 'end_of_data', 147),
    (11, 101, 'F', '2000-09-20', 'Ukraine', '2021-05-10', 1, 12, 'end_of_data', 109),
    (12, 101, 'F', '1999-04-21', 'Syria', '2020-05-25', 2, 5, 'dead', 17),
    (13, 101, 'M', '1985-08-15', 'Eritrea', '2020-03-09', 2, 63, 'end_of_data', 107),
    (14, 101, 'M', '1973-04-03', 'Eritrea', '2020-07-06', 3, 1, 'end_of_data', 142),
    (15, 101, 'M', '1966-07-15', 'Syria', '2021-06-07', 2, 4, 'emigrated', 44),
    (16, 101, 'F', '1995-01-27', 'Ukraine', '2021-02-01', 1, 0, 'end_of_data', 135),
    (17, 102, 'F', '1970-12-17', 'Eritrea', '2020-07-20', 1, 17, 'end_of_data', 142),
    (18, 102, 'M', '2001-06-04', 'Eritrea', '2020-09-07', 2, 18, 'end_of_data', 63),
    (19, 102, 'F', '1988-09-19', 'Syria', '2020-05-11', 0, 64, 'end_of_data', 109),
    (20, 102, 'F', '1976-04-26', 'Eritrea', '2021-07-12', 2, 90, 'end_of_data', 75),
    (21, 102, 'M', '1986-02-08', 'Eritrea', '2021-04-19', 2, 95, 'end_of_data', 45),
    (22, 102, 'F', '1973-04-24', 'Eritrea', '2021-05-10', 3, 70, 'end_of_data', 85),
    (23, 102, 'F', '1971-04-25', 'Ukraine', '2020-09-28', 1, 34, 'end_of_data', 82),
    (24, 102, 'M', '1985-08-10', 'Ukraine', '2021-07-26', 0, 0, 'end_of_data', 106),
    (25, 102, 'M', '1994-01-07', 'Ukraine', '2021-06-14', 0, 97, 'end_of_data', 111),
    (26, 102, 'F', '1991-06-08', 'Ukraine', '2021-09-27', 3, 33, 'end_of_data', 61),
    (27, 102, 'M', '1982-04-26', 'Eritrea', '2020-05-04', 0, 14, 'end_of_data', 116),
    (28, 102, 'F', '1963-02-23', 'Ukraine', '2020-02-24', 1, 34, 'end_of_data', 135),
    (29, 102, 'M', '1993-06-21', 'Syria', '2020-08-31', 0, 5, 'end_of_data', 88),
    (30, 102, 'M', '1972-09-16', 'Syria', '2021-02-15', 2, 0, 'end_of_data', 94),
    (31, 103, 'M', '1979-01-18', 'Syria', '2020-08-03', 1, 3, 'end_of_data', 129),
    (32, 103, 'M', '1984-07-02', 'Eritrea', '2020-08-17', 0, 21, 'end_of_data', 48),
    (33, 103, 'M', '1967-09-25', 'Ukraine', '2021-07-12', 2, 15, 'end_of_data', 149),
    (34, 103, 'M', '1988-03-07', 'Syria', '2020-04-20', 1, 0, 'end_of_data', 144),
    (35, 103, 'M', '1987-06-05', 'Eritrea', '2020-05-04', 0, 71, 'end_of_data', 113),
    (36, 103, 'F', '1986-12-02', 'Syria', '2020-08-10', 1, 105, 'end_of_data', 85),
    (37, 103, 'M', '1970-11-13', 'Eritrea', '2020-05-18', 2, 80, 'end_of_data', 129),
    (38, 103, 'M', '2001-06-03', 'Eritrea', '2020-08-31', 1, 88, 'end_of_data', 109),
    (39, 103, 'M', '1997-05-03', 'Ukraine', '2020-09-14', 2, 33, 'end_of_data', 113),
    (40, 103, 'F', '1965-08-23', 'Ukraine', '2020-06-15', 1, 83, 'folkepension', 23),
    (41, 103, 'M', '1987-08-01', 'Eritrea', '2020-08-10', 1, 11, 'end_of_data', 82),
    (42, 103, 'F', '1993-01-11', 'Syria', '2020-04-06', 0, 73, 'emigrated', 15),
    (43, 104, 'M', '1967-07-05', 'Eritrea', '2021-01-04', 1, 38, 'end_of_data', 138),
    (44, 104, 'F', '2000-01-01', 'Eritrea', '2020-08-31', 3, 39, 'end_of_data', 76),
    (45, 104, 'M', '1999-09-24', 'Eritrea', '2020-05-25', 2, 20, 'end_of_data', 94),
    (46, 102, 'F', '1990-03-03', 'Syria', '2021-03-01', 1, 70, None, None),
]
HORIZON_WEEKS = 52      # months = 12: round(12 * 52 / 12)
MIN_CELL = 5
CONF = 0.95


def date(s):
    return datetime.date.fromisoformat(s)


def status(p):
    """The person's status at arrival + 52 weeks (docs/monitoring.md)."""
    _, _, _, _, _, arrival, _, k, reason, t = p
    if reason is None:
        return 'other_censored'          # no observation_period row
    if t < HORIZON_WEEKS:                # observed_to = arrival + t weeks, before the horizon
        return {'emigrated': 'emigrated', 'dead': 'dead',
                'end_of_data': 'not_yet'}.get(reason, 'other_censored')
    # observed: code 130 in weeks 0 .. k-1 after arrival, no benefit after
    return 'not_self_supporting' if k > HORIZON_WEEKS else 'self_supporting'


def wilson(x, n, conf=CONF):
    z = NormalDist().inv_cdf(1 - (1 - conf) / 2)
    c = (x + z * z / 2) / (n + z * z)
    h = z * math.sqrt(x * (n - x) / n + z * z / 4) / (n + z * z)
    return (0.0 if x == 0 else c - h), (1.0 if x == n else c + h)


def newcombe(x1, n1, x2, n2, conf=CONF):
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, conf)
    l2, u2 = wilson(x2, n2, conf)
    d = p1 - p2
    return d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def binom_cdf(k, n, theta):
    """Exact P(R <= k), theta a Fraction."""
    if k < 0:
        return Fraction(0)
    return sum(math.comb(n, j) * theta ** j * (1 - theta) ** (n - j) for j in range(0, min(k, n) + 1))


def funnel_limit(p, n, theta):
    """Spiegelhalter (2005) A.1.1: r_p, alpha = (F(r_p) - p) / f(r_p), (r_p - alpha) / n."""
    p = Fraction(p)
    r = 0
    while binom_cdf(r, n, theta) < p:
        r += 1
    f = binom_cdf(r, n, theta) - binom_cdf(r - 1, n, theta)
    alpha = (binom_cdf(r, n, theta) - p) / f
    return min(1.0, max(0.0, float((r - alpha) / n)))


def solve(a, b):
    """Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            for j in range(c, n + 1):
                m[r][j] -= f * m[c][j]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][j] * x[j] for j in range(r + 1, n))) / m[r][r]
    return x


def logistic_irls(xs, ys):
    """Newton-Raphson / IRLS for the logistic MLE, to full convergence."""
    p = len(xs[0])
    beta = [0.0] * p
    for _ in range(200):
        xtwx = [[0.0] * p for _ in range(p)]
        score = [0.0] * p
        for x, y in zip(xs, ys):
            eta = sum(b * v for b, v in zip(beta, x))
            mu = 1 / (1 + math.exp(-eta))
            w = mu * (1 - mu)
            for i in range(p):
                score[i] += (y - mu) * x[i]
                for j in range(p):
                    xtwx[i][j] += w * x[i] * x[j]
        step = solve(xtwx, score)
        beta = [b + s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-13:
            break
    return beta


def predict(beta, x):
    return 1 / (1 + math.exp(-sum(b * v for b, v in zip(beta, x))))


def age_band(birth, arrival):
    b, a = date(birth), date(arrival)
    age = a.year - b.year - ((a.month, a.day) < (b.month, b.day))
    return 'under_30' if age < 30 else ('30_44' if age < 45 else '45_plus')


def factors(p):
    """The person's background factors, as text, in the model's order."""
    _, _, sex, birth, origin, arrival, edu, _, _, _ = p
    return [age_band(birth, arrival), sex, origin, str(edu), str(date(arrival).isocalendar()[0])]


def design():
    """Observed persons: dummies (levels in code-point order, the first is the reference)."""
    obs = [p for p in PERSONS if status(p) in ('self_supporting', 'not_self_supporting')]
    facs = [factors(p) for p in obs]
    cols = []
    for f in range(5):
        levels = sorted(set(v[f] for v in facs))
        cols += [(f, lv) for lv in levels[1:]]
    xs = [[1.0] + [1.0 if v[f] == lv else 0.0 for f, lv in cols] for v in facs]
    ys = [1.0 if status(p) == 'self_supporting' else 0.0 for p in obs]
    return obs, cols, xs, ys


def arrival_rows():
    cells = {}
    for p in PERSONS:
        key = (p[1], date(p[5]).isocalendar()[0])
        cells.setdefault(key, []).append(status(p))
    rows = []
    for (mun, year), sts in sorted(cells.items()):
        n_obs = sum(s in ('self_supporting', 'not_self_supporting') for s in sts)
        n_self = sts.count('self_supporting')
        o_obs = o_self = 0
        for (m2, y2), s2 in cells.items():
            if m2 != mun and y2 == year:
                o_obs += sum(s in ('self_supporting', 'not_self_supporting') for s in s2)
                o_self += s2.count('self_supporting')
        row = dict(municipality=mun, arrival_year=year, n_persons=len(sts), n_observed=n_obs,
                   n_self_supporting=n_self, n_emigrated=sts.count('emigrated'), n_dead=sts.count('dead'),
                   n_other_censored=sts.count('other_censored'), n_not_yet=sts.count('not_yet'),
                   suppressed=n_obs < MIN_CELL)
        if not row['suppressed']:
            row['estimate'] = n_self / n_obs
            row['conf_low'], row['conf_high'] = wilson(n_self, n_obs)
            row['emigrated_share'] = row['n_emigrated'] / len(sts)
            row['dead_share'] = row['n_dead'] / len(sts)
            if o_obs > 0:
                row['others_estimate'] = o_self / o_obs
                row['others_conf_low'], row['others_conf_high'] = wilson(o_self, o_obs)
                row['difference'], row['difference_conf_low'], row['difference_conf_high'] = \
                    newcombe(n_self, n_obs, o_self, o_obs)
        rows.append(row)
    return rows


def benchmark():
    obs, cols, xs, ys = design()
    beta = logistic_irls(xs, ys)
    national = sum(ys) / len(ys)
    theta = Fraction(int(sum(ys)), len(ys))
    per = {}
    for p, x, y in zip(obs, xs, ys):
        d = per.setdefault(p[1], [0, 0, 0.0])
        d[0] += 1
        d[1] += int(y)
        d[2] += predict(beta, x)
    rows = []
    for mun, (n, o, e) in sorted(per.items()):
        row = dict(municipality=mun, n_persons=None if n < MIN_CELL else n, suppressed=n < MIN_CELL,
                   national=national)
        if not row['suppressed']:
            est = national + (o - e) / n
            wl, wh = wilson(o, n)
            shift = national - e / n
            f95 = (funnel_limit(Fraction(25, 1000), n, theta), funnel_limit(Fraction(975, 1000), n, theta))
            f998 = (funnel_limit(Fraction(1, 1000), n, theta), funnel_limit(Fraction(999, 1000), n, theta))
            if est > f998[1]:
                pos = 'above_99.8'
            elif est > f95[1]:
                pos = 'above_95'
            elif est < f998[0]:
                pos = 'below_99.8'
            elif est < f95[0]:
                pos = 'below_95'
            else:
                pos = 'within'
            row.update(observed=o, expected=e, raw_estimate=o / n, estimate=est,
                       conf_low=wl + shift, conf_high=wh + shift,
                       funnel95_low=f95[0], funnel95_high=f95[1],
                       funnel998_low=f998[0], funnel998_high=f998[1],
                       position=pos, good_result=est > f998[1])
        rows.append(row)
    ranked = sorted((r for r in rows if not r['suppressed']), key=lambda r: -r['estimate'])
    for i, r in enumerate(ranked):
        r['rank'] = 1 + sum(1 for q in ranked if round(q['estimate'], 10) > round(r['estimate'], 10))
    return beta, cols, rows


def print_sql():
    print("INSERT INTO mb.person (person_id, municipality, sex, birth_date, origin, arrival_week, education_level) VALUES")
    print(",\n".join(f"\t({p[0]}, {p[1]}, '{p[2]}', '{p[3]}', '{p[4]}', '{p[5]}', {p[6]})" for p in PERSONS) + ";")
    print("INSERT INTO mb.observation_period (person_id, observed_from, observed_to, end_reason) VALUES")
    print(",\n".join(f"\t({p[0]}, '{p[5]}', DATE '{p[5]}' + 7 * {p[9]}, '{p[8]}')"
                     for p in PERSONS if p[8] is not None) + ";")
    print("INSERT INTO mb.person_path (person_id, path) VALUES")
    print(",\n".join(f"\t({p[0]}, '{p[5]}:130x{p[7]}')" for p in PERSONS if p[7] > 0) + ";")


def sql_value(v):
    if v is None:
        return 'NULL'
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return "'" + v + "'"
    return str(v)


ARRIVAL_COLUMNS = ['municipality', 'arrival_year', 'n_persons', 'n_observed', 'n_self_supporting',
                   'estimate', 'conf_low', 'conf_high', 'n_emigrated', 'n_dead', 'n_other_censored',
                   'n_not_yet', 'emigrated_share', 'dead_share', 'others_estimate', 'others_conf_low',
                   'others_conf_high', 'difference', 'difference_conf_low', 'difference_conf_high',
                   'suppressed']
BENCHMARK_COLUMNS = ['municipality', 'n_persons', 'observed', 'expected', 'raw_estimate', 'estimate',
                     'conf_low', 'conf_high', 'national', 'funnel95_low', 'funnel95_high',
                     'funnel998_low', 'funnel998_high', 'rank', 'position', 'good_result', 'suppressed']


def print_expected():
    """The expected rows as SQL VALUES (pasted into the suites between the reference markers)."""
    print("-- reference: arrival (" + ", ".join(ARRIVAL_COLUMNS) + ")")
    rows = arrival_rows()
    out = []
    for r in rows:
        vals = []
        for c in ARRIVAL_COLUMNS:
            v = r.get(c)
            if r['suppressed'] and c not in ('municipality', 'arrival_year', 'suppressed'):
                v = None
            vals.append(sql_value(v))
        out.append("\t(" + ", ".join(vals) + ")")
    print(",\n".join(out))
    beta, cols, rows = benchmark()
    print("-- reference: coefficients")
    print("\t('{" + ",".join(repr(b) for b in beta) + "}')")
    print("-- reference: benchmark (" + ", ".join(BENCHMARK_COLUMNS) + ")")
    out = []
    for r in rows:
        out.append("\t(" + ", ".join(sql_value(r.get(c)) for c in BENCHMARK_COLUMNS) + ")")
    print(",\n".join(out))
    print("-- reference: end")


def main():
    if '--sql' in sys.argv:
        print_sql()
        return
    if '--expected' in sys.argv:
        print_expected()
        return
    fmt = (lambda v: f"{v:.10f}" if isinstance(v, float) else str(v))
    print("# funnel limits, hand cases (test/unit/test_funnel.c)")
    for n, th in ((10, Fraction(3, 10)), (100, Fraction(1, 2)), (25, Fraction(1, 10))):
        for p in ('0.001', '0.025', '0.975', '0.999'):
            print(f"funnel n={n} target={float(th)} p={p}: {funnel_limit(Fraction(p), n, th):.12f}")
    print("# arrival cohorts")
    for r in arrival_rows():
        print("arrival " + " ".join(f"{k}={fmt(v)}" for k, v in r.items()))
    beta, cols, rows = benchmark()
    print("# logistic model: intercept then " + ", ".join(f"{['age', 'sex', 'origin', 'education', 'year'][f]}={lv}" for f, lv in cols))
    print("coefficients " + " ".join(fmt(b) for b in beta))
    print("# benchmark")
    for r in rows:
        print("benchmark " + " ".join(f"{k}={fmt(v)}" for k, v in r.items()))


if __name__ == '__main__':
    main()
