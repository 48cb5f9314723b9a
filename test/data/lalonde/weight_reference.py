#!/usr/bin/env python3
"""Reference weights of entropy balancing (Hainmueller 2012) for the tests.

    python3 weight_reference.py [lalonde.csv] [output directory]

An implementation independent of src/math/weighting.c: the dual
    minimise  log sum_i exp(lambda' (c_i - target))
over lambda is solved with scipy.optimize.minimize (trust-exact, analytic
gradient and Hessian) on the raw (unscaled) constraints, and the weights
exp(lambda' c_i) / sum are checked to balance every constraint. Writes
weight_entropy_reference.csv (unit, treat, w_m1, w_m2: control weights
scaled to sum to the number of treated, treated 1) for lalonde with the
covariates age, educ, race (race=hispan, race=white: the first level
black is the reference), married, nodegree, re74, re75, moments 1 and 2
(2: squares of the terms with more than two values too). Also prints the
weights of the 13-unit case of test/unit/test_weighting.c.
Tested with Python 3.11, numpy 1.24, scipy 1.10 (Debian 12).
"""
import csv
import os
import sys

import numpy as np
from scipy.optimize import minimize


def solve(c_controls, target):
    """Entropy-balancing weights (summing to 1) of the controls."""
    d = c_controls - target
    # centre-free scaling only to help the optimiser; the weights do not
    # depend on it (lambda absorbs it)
    scale = d.std(axis=0)
    d = d / scale

    def objective(lam):
        eta = d @ lam
        m = eta.max()
        e = np.exp(eta - m)
        s = e.sum()
        w = e / s
        g = w @ d
        h = (d * w[:, None]).T @ d - np.outer(g, g)
        return np.log(s) + m, g, h

    res = minimize(lambda l: objective(l)[0], np.zeros(d.shape[1]),
                   jac=lambda l: objective(l)[1], hess=lambda l: objective(l)[2],
                   method="trust-exact", options={"gtol": 1e-13, "maxiter": 1000})
    eta = d @ res.x
    w = np.exp(eta - eta.max())
    w /= w.sum()
    imbalance = np.abs(w @ (c_controls - target)) / c_controls.std(axis=0)
    assert imbalance.max() < 1e-11, (res.message, imbalance.max())
    return w


def constraints(x, moments):
    cols = [x]
    if moments == 2:
        many = [j for j in range(x.shape[1]) if len(np.unique(x[:, j])) > 2]
        cols.append(x[:, many] ** 2)
    return np.hstack(cols)


def balance(x, treated, moments):
    c = constraints(x, moments)
    target = c[treated].mean(axis=0)
    w = np.ones(len(x))
    w[~treated] = solve(c[~treated], target) * treated.sum()
    return w


def lalonde(path, out):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    unit = np.array([int(r["id"]) if "id" in r else i + 1 for i, r in enumerate(rows)])
    treated = np.array([r["treat"] == "1" for r in rows])
    x = np.array([[float(r["age"]), float(r["educ"]),
                   1.0 if r["race"] == "hispan" else 0.0,
                   1.0 if r["race"] == "white" else 0.0,
                   float(r["married"]), float(r["nodegree"]),
                   float(r["re74"]), float(r["re75"])] for r in rows])
    w1 = balance(x, treated, 1)
    w2 = balance(x, treated, 2)
    with open(os.path.join(out, "weight_entropy_reference.csv"), "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["unit", "treat", "w_m1", "w_m2"])
        for u, t, a, b in zip(unit, treated, w1, w2):
            wr.writerow([u, int(t), "%.17g" % a, "%.17g" % b])


def unit_case():
    x = np.array([[4, 1], [6, 0], [7, 1], [5, 0],
                  [1, 0], [2, 1], [3, 0], [4, 1], [5, 1], [6, 0], [7, 0], [8, 1], [9, 0]], float)
    treated = np.array([True] * 4 + [False] * 9)
    w = balance(x, treated, 2)
    print("unit case (test_weighting.c), control weights:")
    for i in range(4, 13):
        print("  w[%d] = %.17g" % (i, w[i]))


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "lalonde.csv"
    out = sys.argv[2] if len(sys.argv) > 2 else "."
    lalonde(path, out)
    unit_case()
